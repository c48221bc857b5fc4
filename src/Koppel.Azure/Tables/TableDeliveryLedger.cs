using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>
/// The delivery ledger: one row per document and connection, partitioned by dossier, guarded by ETags.
/// Beside it, an index of the deliveries that are not finished yet (one small row each, in 16 partitions), so the
/// sweeper reads only those instead of the whole ledger, whose size grows with every delivery ever made. The index
/// row is written before the ledger row and removed after the final one, so it may name a finished delivery for a
/// moment (the sweep then removes it) but never misses an unfinished one.
/// </summary>
public sealed class TableDeliveryLedger : IDeliveryLedger
{
    private const string What = "delivery";

    /// <summary>The statuses <see cref="DeliveryEntry.IsFinal"/> calls final; a test keeps the two in step.</summary>
    internal static readonly DeliveryStatus[] FinalStatuses = [DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.DeadLettered, DeliveryStatus.Skipped];

    private readonly KoppelTable _table;
    private readonly KoppelTable _open;

    public TableDeliveryLedger(TableClient table, TableClient openIndex)
    {
        _table = new KoppelTable(table);
        _open = new KoppelTable(openIndex);
    }

    public async Task<DeliveryEntry?> GetAsync(string dossierId, string deliveryId, CancellationToken cancellationToken)
    {
        var entity = await _table.GetAsync(
            TableKeys.Ensure(dossierId, nameof(dossierId)), TableKeys.Ensure(deliveryId, nameof(deliveryId)), cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    public async Task<DeliveryEntry> AddIfAbsentAsync(DeliveryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!entry.IsFinal)
        {
            await _open.UpsertAsync(OpenRow(entry.DossierId, entry.DeliveryId), cancellationToken);
        }

        var etag = await _table.TryAddAsync(ToEntity(entry), cancellationToken);
        if (etag is not null)
        {
            return entry with { ETag = etag };
        }

        // Someone added it first; theirs is the entry that counts.
        var stored = await GetAsync(entry.DossierId, entry.DeliveryId, cancellationToken)
            ?? throw new ConcurrencyConflictException($"Delivery '{entry.DossierId}/{entry.DeliveryId}' existed a moment ago and is gone now.");
        if (stored.IsFinal)
        {
            await ForgetOpenAsync(stored.DossierId, stored.DeliveryId, cancellationToken);
        }

        return stored;
    }

    public async Task<DeliveryEntry> ReplaceAsync(DeliveryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var etag = await _table.ReplaceIfMatchAsync(ToEntity(entry), entry.ETag, What, cancellationToken);
        if (entry.IsFinal)
        {
            await ForgetOpenAsync(entry.DossierId, entry.DeliveryId, cancellationToken);
        }

        return entry with { ETag = etag };
    }

    public IAsyncEnumerable<DeliveryEntry> ListForDocumentAsync(string dossierId, string documentId, CancellationToken cancellationToken) =>
        QueryAsync(
            KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId))) + " and " +
            TableClient.CreateQueryFilter($"DocumentId eq {documentId}"),
            cancellationToken);

    public IAsyncEnumerable<DeliveryEntry> ListForRunAsync(string dossierId, string runId, CancellationToken cancellationToken) =>
        QueryAsync(
            KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId))) + " and " +
            TableClient.CreateQueryFilter($"RunId eq {runId}"),
            cancellationToken);

    public IAsyncEnumerable<DeliveryEntry> ListAsync(string dossierId, DeliveryStatus? status, CancellationToken cancellationToken) =>
        QueryAsync(StatusFilter(dossierId, status), cancellationToken);

    public async Task<Page<DeliveryEntry>> ListPageAsync(string dossierId, DeliveryStatus? status, PageRequest page, CancellationToken cancellationToken) =>
        (await _table.QueryPageAsync(StatusFilter(dossierId, status), page, cancellationToken)).Select(FromEntity);

    private static string StatusFilter(string dossierId, DeliveryStatus? status)
    {
        var filter = KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId)));
        if (status is { } wanted)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {wanted.ToString()}");
        }

        return filter;
    }

    /// <summary>Reads the index of unfinished deliveries, and each one's ledger row; index rows of finished ones are removed.</summary>
    public async IAsyncEnumerable<DeliveryEntry> ListUnfinishedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in _open.QueryAsync(null, null, cancellationToken))
        {
            var dossierId = row.GetString("DossierId");
            var deliveryId = row.GetString("DeliveryId");
            if (dossierId is null || deliveryId is null)
            {
                continue;
            }

            var entry = await GetAsync(dossierId, deliveryId, cancellationToken);
            if (entry is null || entry.IsFinal)
            {
                await ForgetOpenAsync(dossierId, deliveryId, cancellationToken);
                continue;
            }

            yield return entry;
        }
    }

    private static TableEntity OpenRow(string dossierId, string deliveryId)
    {
        var (partition, row) = OpenKeys(dossierId, deliveryId);
        return new TableEntity(partition, row) { ["DossierId"] = dossierId, ["DeliveryId"] = deliveryId };
    }

    private async Task ForgetOpenAsync(string dossierId, string deliveryId, CancellationToken cancellationToken)
    {
        var (partition, row) = OpenKeys(dossierId, deliveryId);
        await _open.DeleteAsync(partition, row, cancellationToken);
    }

    /// <summary>16 partitions by a hash of the delivery id, so the index has no single hot partition.</summary>
    private static (string Partition, string Row) OpenKeys(string dossierId, string deliveryId) =>
        (Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(deliveryId)))[..1],
         $"{TableKeys.Ensure(dossierId, nameof(dossierId))}~{TableKeys.Ensure(deliveryId, nameof(deliveryId))}");

    private async IAsyncEnumerable<DeliveryEntry> QueryAsync(string filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in _table.QueryAsync(filter, null, cancellationToken))
        {
            yield return FromEntity(entity);
        }
    }

    private static TableEntity ToEntity(DeliveryEntry d)
    {
        var entity = new TableEntity(TableKeys.Ensure(d.DossierId, nameof(d.DossierId)), TableKeys.Ensure(d.DeliveryId, nameof(d.DeliveryId)))
        {
            ["DocumentId"] = d.DocumentId,
            ["ConnectionId"] = d.ConnectionId,
            ["Provider"] = d.Provider,
            ["Status"] = d.Status.ToString(),
            ["Attempts"] = d.Attempts,
            ["CreatedAt"] = d.CreatedAt,
            ["UpdatedAt"] = d.UpdatedAt,
        };
        entity.SetIfNotNull("ProviderReference", d.ProviderReference);
        entity.SetIfNotNull("LastError", d.LastError);
        entity.SetIfNotNull("ClaimedUntil", d.ClaimedUntil);
        entity.SetIfNotNull("ClaimedBy", d.ClaimedBy);
        entity.SetIfNotNull("RunId", d.RunId);
        return entity;
    }

    private static DeliveryEntry FromEntity(TableEntity e) => new()
    {
        DossierId = e.PartitionKey,
        DeliveryId = e.RowKey,
        DocumentId = e.Required("DocumentId"),
        ConnectionId = e.Required("ConnectionId"),
        Provider = e.Required("Provider"),
        Status = e.GetEnum<DeliveryStatus>("Status"),
        Attempts = e.GetInt32("Attempts") ?? 0,
        ProviderReference = e.GetString("ProviderReference"),
        LastError = e.GetString("LastError"),
        ClaimedUntil = e.GetDateTimeOffset("ClaimedUntil"),
        ClaimedBy = e.GetString("ClaimedBy"),
        RunId = e.GetString("RunId"),
        CreatedAt = e.GetInstant("CreatedAt"),
        UpdatedAt = e.GetInstant("UpdatedAt"),
        ETag = e.ETag.ToString(),
    };
}
