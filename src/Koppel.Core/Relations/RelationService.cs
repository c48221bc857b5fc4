using Koppel.Core.Dossiers;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;

namespace Koppel.Core.Relations;

/// <summary>The relations for the API: a sync on demand (queued), the search, the ledger accounts and VAT codes.</summary>
public sealed class RelationService(
    ConnectionService connections,
    IRelationStore store,
    IRelationSyncQueue queue,
    RelationSyncScheduler scheduler,
    TimeProvider clock)
{
    /// <summary>Queues a sync of one connection (all of it when <paramref name="full"/>); the run log says what it did.</summary>
    public async Task<RelationSyncJob> RequestSyncAsync(string dossierId, string connectionId, bool full, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var connection = await connections.GetAsync(dossierId, connectionId, caller, cancellationToken);
        if (!scheduler.CanSync(connection))
        {
            throw new RequestValidationException(
                "connectionId",
                connection.Enabled
                    ? $"Connection '{connectionId}' ({connection.Provider}) cannot sync customers and suppliers: its connector does not read them, or the connection needs to be mended first ({connection.Health.Status})."
                    : $"Connection '{connectionId}' is disabled; enable it to sync its customers and suppliers.");
        }

        var job = new RelationSyncJob
        {
            DossierId = connection.DossierId,
            ConnectionId = connection.Id,
            Full = full,
            Slot = "manual",
            RequestedBy = caller.Name,
            EnqueuedAt = clock.GetUtcNow(),
        };
        await queue.EnqueueAsync(job, cancellationToken);
        return job;
    }

    public Task<Page<Party>> SearchAsync(string dossierId, PartySearch search, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        return store.SearchAsync(dossierId, search, page, cancellationToken);
    }

    public Task<Page<LedgerAccount>> ListLedgerAccountsAsync(string dossierId, string? connectionId, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        return store.ListLedgerAccountsAsync(dossierId, connectionId, page, cancellationToken);
    }

    public Task<Page<VatCode>> ListVatCodesAsync(string dossierId, string? connectionId, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        return store.ListVatCodesAsync(dossierId, connectionId, page, cancellationToken);
    }
}
