using Azure;
using Azure.Data.Tables;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>
/// The OAuth refresh lease shared by every process of an installation: one row per consent in the <c>leases</c> table,
/// taken with an insert (only one wins) or, once the previous holder's time ran out, with an ETag-guarded replace (only
/// one wins again). Released by a delete that only succeeds while the row is still ours, so a slow holder whose lease
/// expired and was taken over never frees the new holder's lease.
/// </summary>
public sealed class TableOAuthRefreshLeases : IOAuthRefreshLeases
{
    private const string Partition = "oauth-refresh";
    private readonly KoppelTable _table;
    private readonly TimeProvider _clock;

    public TableOAuthRefreshLeases(TableClient table, TimeProvider clock)
    {
        _table = new KoppelTable(table);
        _clock = clock;
    }

    public async Task<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan duration, CancellationToken cancellationToken)
    {
        var rowKey = TableKeys.Ensure(key, "lease key");
        var now = _clock.GetUtcNow();
        var mine = new TableEntity(Partition, rowKey) { ["Holder"] = Guid.NewGuid().ToString("N"), ["Until"] = now + duration };

        var existing = await _table.GetAsync(Partition, rowKey, cancellationToken);
        string? etag;
        if (existing is null)
        {
            etag = await _table.TryAddAsync(mine, cancellationToken);
        }
        else if (existing.GetDateTimeOffset("Until") is { } until && until > now)
        {
            etag = null;
        }
        else
        {
            try
            {
                etag = await _table.ReplaceIfMatchAsync(mine, existing.ETag.ToString(), "refresh lease", cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                etag = null; // another process took the expired lease first
            }
        }

        return etag is null ? null : new Lease(_table, rowKey, etag);
    }

    private sealed class Lease(KoppelTable table, string rowKey, string etag) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                var client = await table.ClientAsync(CancellationToken.None);
                await client.DeleteEntityAsync(Partition, rowKey, new ETag(etag), CancellationToken.None);
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Expired and taken over (or removed): it is not ours to release any more.
            }
        }
    }
}
