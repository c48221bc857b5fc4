using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>The delivery ledger: one row per document and connection, partitioned by dossier, guarded by ETags.</summary>
public sealed class TableDeliveryLedger : IDeliveryLedger
{
    private const string What = "delivery";

    /// <summary>The statuses <see cref="DeliveryEntry.IsFinal"/> calls final; a test keeps the two in step.</summary>
    internal static readonly DeliveryStatus[] FinalStatuses = [DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.DeadLettered, DeliveryStatus.Skipped];

    private readonly KoppelTable _table;

    public TableDeliveryLedger(TableClient table) => _table = new KoppelTable(table);

    public async Task<DeliveryEntry?> GetAsync(string dossierId, string deliveryId, CancellationToken cancellationToken)
    {
        var entity = await _table.GetAsync(
            TableKeys.Ensure(dossierId, nameof(dossierId)), TableKeys.Ensure(deliveryId, nameof(deliveryId)), cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    public async Task<DeliveryEntry> AddIfAbsentAsync(DeliveryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var etag = await _table.TryAddAsync(ToEntity(entry), cancellationToken);
        if (etag is not null)
        {
            return entry with { ETag = etag };
        }

        // Someone added it first; theirs is the entry that counts.
        return await GetAsync(entry.DossierId, entry.DeliveryId, cancellationToken)
            ?? throw new ConcurrencyConflictException($"Delivery '{entry.DossierId}/{entry.DeliveryId}' existed a moment ago and is gone now.");
    }

    public async Task<DeliveryEntry> ReplaceAsync(DeliveryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var etag = await _table.ReplaceIfMatchAsync(ToEntity(entry), entry.ETag, What, cancellationToken);
        return entry with { ETag = etag };
    }

    public IAsyncEnumerable<DeliveryEntry> ListForDocumentAsync(string dossierId, string documentId, CancellationToken cancellationToken) =>
        QueryAsync(
            KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId))) + " and " +
            TableClient.CreateQueryFilter($"DocumentId eq {documentId}"),
            cancellationToken);

    public IAsyncEnumerable<DeliveryEntry> ListAsync(string dossierId, DeliveryStatus? status, CancellationToken cancellationToken)
    {
        var filter = KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId)));
        if (status is { } wanted)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {wanted.ToString()}");
        }

        return QueryAsync(filter, cancellationToken);
    }

    public IAsyncEnumerable<DeliveryEntry> ListUnfinishedAsync(CancellationToken cancellationToken)
    {
        var filter = string.Join(" and ", FinalStatuses.Select(s => TableClient.CreateQueryFilter($"Status ne {s.ToString()}")));
        return QueryAsync(filter, cancellationToken);
    }

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
        RunId = e.GetString("RunId"),
        CreatedAt = e.GetInstant("CreatedAt"),
        UpdatedAt = e.GetInstant("UpdatedAt"),
        ETag = e.ETag.ToString(),
    };
}
