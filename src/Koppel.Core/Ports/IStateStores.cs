using Koppel.Core.Domain;

namespace Koppel.Core.Ports;

/// <summary>Thrown when a conditional write loses a race; the caller reloads and decides again.</summary>
public sealed class ConcurrencyConflictException : Exception
{
    public ConcurrencyConflictException()
    {
    }

    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

public interface IDossierRepository
{
    Task<Dossier?> GetAsync(string dossierId, CancellationToken cancellationToken);

    /// <summary>
    /// For the ingest and delivery hot paths: the dossier as read at most a few seconds ago (another instance's change
    /// shows after that; this process's own changes at once). A dossier not found is never remembered.
    /// </summary>
    Task<Dossier?> GetRecentAsync(string dossierId, CancellationToken cancellationToken) => GetAsync(dossierId, cancellationToken);

    IAsyncEnumerable<Dossier> ListAsync(CancellationToken cancellationToken);

    /// <summary>One page of every dossier, in id order.</summary>
    Task<Page<Dossier>> ListPageAsync(PageRequest page, CancellationToken cancellationToken);

    Task UpsertAsync(Dossier dossier, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string dossierId, CancellationToken cancellationToken);
}

public interface IConnectionRepository
{
    Task<Connection?> GetAsync(string dossierId, string connectionId, CancellationToken cancellationToken);

    /// <summary>
    /// For the delivery hot path: the connection as read (or listed) at most a few seconds ago (another instance's
    /// change shows after that; this process's own changes at once). Reads that decide a write use <see cref="GetAsync"/>.
    /// </summary>
    Task<Connection?> GetRecentAsync(string dossierId, string connectionId, CancellationToken cancellationToken) => GetAsync(dossierId, connectionId, cancellationToken);

    IAsyncEnumerable<Connection> ListAsync(string dossierId, CancellationToken cancellationToken);

    /// <summary>One page of a dossier's connections, in id order.</summary>
    Task<Page<Connection>> ListPageAsync(string dossierId, PageRequest page, CancellationToken cancellationToken);

    /// <summary>
    /// One page of the connections that need looking at (<see cref="ConnectionHealth.NeedsLooking"/>) across dossiers:
    /// of the dossiers named, or of every dossier when null; in dossier and connection id order.
    /// </summary>
    Task<Page<Connection>> ListNeedingAttentionPageAsync(IReadOnlyCollection<string>? dossierIds, PageRequest page, CancellationToken cancellationToken);

    Task UpsertAsync(Connection connection, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string dossierId, string connectionId, CancellationToken cancellationToken);
}

public interface IDocumentRepository
{
    Task<DocumentRecord?> GetAsync(string dossierId, string documentId, CancellationToken cancellationToken);

    /// <summary>Adds the record unless it exists; returns false when it was there already (the same bytes dropped twice).</summary>
    Task<bool> TryAddAsync(DocumentRecord document, CancellationToken cancellationToken);

    /// <summary>Documents of a dossier received in [receivedFrom, receivedBefore), oldest first.</summary>
    IAsyncEnumerable<DocumentRecord> ListAsync(string dossierId, DateTimeOffset? receivedFrom, DateTimeOffset? receivedBefore, CancellationToken cancellationToken);

    /// <summary>
    /// One page of the documents of a dossier received in [receivedFrom, receivedBefore), in the store's key order
    /// (document id), not by time: paging a large range never sorts it in memory.
    /// </summary>
    Task<Page<DocumentRecord>> ListPageAsync(string dossierId, DateTimeOffset? receivedFrom, DateTimeOffset? receivedBefore, PageRequest page, CancellationToken cancellationToken);
}

public interface IDeliveryLedger
{
    Task<DeliveryEntry?> GetAsync(string dossierId, string deliveryId, CancellationToken cancellationToken);

    /// <summary>Adds a pending entry unless one exists; returns the stored entry either way.</summary>
    Task<DeliveryEntry> AddIfAbsentAsync(DeliveryEntry entry, CancellationToken cancellationToken);

    /// <summary>Replaces the entry if its ETag still matches; throws <see cref="ConcurrencyConflictException"/> otherwise.</summary>
    Task<DeliveryEntry> ReplaceAsync(DeliveryEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces an entry that had ended with an unfinished one (an operator's Retry) if its ETag still matches, and makes
    /// the sweep of unfinished entries see it again; throws <see cref="ConcurrencyConflictException"/> otherwise.
    /// </summary>
    Task<DeliveryEntry> ReopenAsync(DeliveryEntry entry, CancellationToken cancellationToken);

    IAsyncEnumerable<DeliveryEntry> ListForDocumentAsync(string dossierId, string documentId, CancellationToken cancellationToken);

    /// <summary>The deliveries a run (an export) created; its counters are derived from them.</summary>
    IAsyncEnumerable<DeliveryEntry> ListForRunAsync(string dossierId, string runId, CancellationToken cancellationToken);

    IAsyncEnumerable<DeliveryEntry> ListAsync(string dossierId, DeliveryStatus? status, CancellationToken cancellationToken);

    /// <summary>One page of a dossier's ledger (optionally of one status), in delivery id order.</summary>
    Task<Page<DeliveryEntry>> ListPageAsync(string dossierId, DeliveryStatus? status, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Entries of every dossier that are not final; used by the sweeper that re-queues lost work.</summary>
    IAsyncEnumerable<DeliveryEntry> ListUnfinishedAsync(CancellationToken cancellationToken);
}

public interface IRunLog
{
    Task<RunLogEntry?> GetAsync(string dossierId, string runId, CancellationToken cancellationToken);

    Task AddAsync(RunLogEntry entry, CancellationToken cancellationToken);

    /// <summary>Replaces the entry if its ETag still matches; throws <see cref="ConcurrencyConflictException"/> otherwise.</summary>
    Task<RunLogEntry> ReplaceAsync(RunLogEntry entry, CancellationToken cancellationToken);

    /// <summary>One page of a dossier's run log, newest first.</summary>
    Task<Page<RunLogEntry>> ListPageAsync(string dossierId, PageRequest page, CancellationToken cancellationToken);
}

public interface IDocumentHistory
{
    Task AppendAsync(HistoryEntry entry, CancellationToken cancellationToken);

    /// <summary>Events of one dossier recorded together (received and queued): one write where the store allows it.</summary>
    async Task AppendAsync(IReadOnlyList<HistoryEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            await AppendAsync(entry, cancellationToken);
        }
    }

    /// <summary>Oldest first.</summary>
    IAsyncEnumerable<HistoryEntry> ListAsync(string dossierId, string documentId, CancellationToken cancellationToken);

    /// <summary>One page of a document's history, oldest first.</summary>
    Task<Page<HistoryEntry>> ListPageAsync(string dossierId, string documentId, PageRequest page, CancellationToken cancellationToken);
}
