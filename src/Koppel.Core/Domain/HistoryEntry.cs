namespace Koppel.Core.Domain;

public enum HistoryEvent
{
    Received,
    Queued,
    Delivered,
    RetryScheduled,
    Failed,
    DeadLettered,
    Resent,
    Skipped,

    /// <summary>Held back on purpose (e.g. the provider's daily quota is used up) until a stated time; not a failure.</summary>
    Deferred,

    /// <summary>A payment (or credit note) settled the invoice, in whole or in part; or a provisional one was confirmed or corrected.</summary>
    Payment,

    /// <summary>What the target did with a delivered document afterwards: a receiver moved the file, the provider processed or refused it.</summary>
    ReadBack,
    /// <summary>The booking's customer or supplier: which synced party was matched and by which key, or that one was created.</summary>
    Party,

    /// <summary>An operator sent a failed or dead-lettered delivery back to the queue for a new round of attempts.</summary>
    Retried,

    /// <summary>An operator decided a failed or dead-lettered delivery need not be made; the reason is in the detail.</summary>
    Discarded,
}

/// <summary>One event in the life of a document: created, delivered to X with reference, failed because Y, resent by Z.</summary>
public sealed record HistoryEntry
{
    public required string DossierId { get; init; }

    public required string DocumentId { get; init; }

    public required HistoryEvent Event { get; init; }

    public DateTimeOffset At { get; init; }

    public string? ConnectionId { get; init; }

    public string? Provider { get; init; }

    public string? Reference { get; init; }

    public string? Detail { get; init; }

    public string Actor { get; init; } = "system";

    /// <summary>An event of one delivery (one document to one connection): its dossier, document, connection and provider.</summary>
    public static HistoryEntry OfDelivery(DeliveryEntry delivery, HistoryEvent historyEvent, DateTimeOffset at, string detail, string? reference = null, string actor = "system")
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return new()
        {
            DossierId = delivery.DossierId,
            DocumentId = delivery.DocumentId,
            Event = historyEvent,
            At = at,
            ConnectionId = delivery.ConnectionId,
            Provider = delivery.Provider,
            Reference = reference,
            Detail = detail,
            Actor = actor,
        };
    }
}
