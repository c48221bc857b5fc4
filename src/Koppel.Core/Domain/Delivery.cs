using System.Security.Cryptography;
using System.Text;

namespace Koppel.Core.Domain;

public enum DeliveryStatus
{
    Pending,
    InProgress,
    Delivered,
    Failed,
    DeadLettered,
    Skipped,

    /// <summary>An operator decided a failed or dead-lettered delivery need not be made (e.g. booked by hand); final.</summary>
    Discarded,
}

/// <summary>
/// One line of the delivery ledger: one document to one connection. The ledger is checked before every send,
/// which is what makes a retry or a duplicate queue message safe.
/// </summary>
public sealed record DeliveryEntry
{
    public required string DossierId { get; init; }

    public required string DeliveryId { get; init; }

    public required string DocumentId { get; init; }

    public required string ConnectionId { get; init; }

    public required string Provider { get; init; }

    public DeliveryStatus Status { get; init; } = DeliveryStatus.Pending;

    public int Attempts { get; init; }

    public string? ProviderReference { get; init; }

    public string? LastError { get; init; }

    /// <summary>While InProgress: until when the worker that claimed it owns it. After that, another may take over.</summary>
    public DateTimeOffset? ClaimedUntil { get; init; }

    /// <summary>While InProgress: the process that claimed it (<c>{instance}#{incarnation}</c>).</summary>
    public string? ClaimedBy { get; init; }

    public string? RunId { get; init; }

    /// <summary>
    /// How often an operator sent it back to the queue after it ended (Retry of a dead letter). Part of its message ids,
    /// so a broker's duplicate detection does not drop the new round's messages as copies of the first round's.
    /// </summary>
    public int Round { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Optimistic-concurrency token of the stored row; null for a row not yet stored.</summary>
    public string? ETag { get; init; }

    public bool IsFinal => Status is DeliveryStatus.Delivered or DeliveryStatus.Failed or DeliveryStatus.DeadLettered or DeliveryStatus.Skipped or DeliveryStatus.Discarded;
}

/// <summary>Deterministic delivery ids: the same document to the same connection is always the same delivery.</summary>
public static class DeliveryIds
{
    /// <param name="generation">0 for the automatic delivery; a run id for a deliberate resend.</param>
    public static string For(string documentId, string connectionId, string? generation = null)
    {
        var key = generation is null ? $"{documentId}|{connectionId}" : $"{documentId}|{connectionId}|{generation}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return "d" + Convert.ToHexStringLower(hash.AsSpan(0, 15));
    }
}
