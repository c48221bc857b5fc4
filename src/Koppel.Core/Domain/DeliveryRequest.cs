namespace Koppel.Core.Domain;

/// <summary>
/// The work-queue message: deliver one document to one connection. Session/ordering key is the dossier;
/// the message id is the delivery id (plus the attempt for scheduled retries), so a broker with
/// duplicate detection drops a second copy.
/// </summary>
public sealed record DeliveryRequest
{
    public required string DeliveryId { get; init; }

    public required string DossierId { get; init; }

    public required string DocumentId { get; init; }

    public required string ConnectionId { get; init; }

    public string? RunId { get; init; }

    /// <summary>1 for the first try; a retry is enqueued again with the next number.</summary>
    public int Attempt { get; init; } = 1;

    public DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) of whoever queued it, set by the queue adapters, so the delivery
    /// continues the trace that began when the document arrived. Null in messages queued before there was one.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The ledger line's <see cref="DeliveryEntry.Round"/>: 0 until an operator retries it after it ended.</summary>
    public int Round { get; init; }

    public string MessageId => Round > 0 ? $"{DeliveryId}-r{Round}-{Attempt}" : Attempt == 1 ? DeliveryId : $"{DeliveryId}-{Attempt}";

    /// <summary>The message that carries a ledger line's next attempt.</summary>
    public static DeliveryRequest NextAttemptOf(DeliveryEntry entry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new DeliveryRequest
        {
            DeliveryId = entry.DeliveryId,
            DossierId = entry.DossierId,
            DocumentId = entry.DocumentId,
            ConnectionId = entry.ConnectionId,
            RunId = entry.RunId,
            Attempt = entry.Attempts + 1,
            Round = entry.Round,
            EnqueuedAt = now,
        };
    }
}
