using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>
/// The read-back index: one row per delivery still asked about, partitioned by dossier, row key
/// <c>{connection}|{delivery}</c>, so a full read comes back by dossier then connection, a connection's items together.
/// A row lives from the delivery until the target's final answer (or the age limit) and is then deleted: the table holds
/// only what is still open, never the ledger's history. Every change is ETag-guarded, which is what lets only one of two
/// overlapping runs tell a change.
/// </summary>
public sealed class TableReadBackIndex : IReadBackIndex
{
    private const string What = "read-back item";
    private readonly KoppelTable _table;

    public TableReadBackIndex(TableClient table) => _table = new KoppelTable(table);

    public async Task AddIfAbsentAsync(ReadBackItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await _table.TryAddAsync(ToEntity(item), cancellationToken);
    }

    public async IAsyncEnumerable<ReadBackItem> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in _table.QueryAsync(null, 1000, cancellationToken))
        {
            yield return From(entity);
        }
    }

    public async Task<ReadBackItem> ReplaceAsync(ReadBackItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var etag = await _table.ReplaceIfMatchAsync(ToEntity(item), item.ETag, What, cancellationToken);
        return item with { ETag = etag };
    }

    public async Task RemoveAsync(ReadBackItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        await _table.DeleteIfMatchAsync(TableKeys.Ensure(item.DossierId, nameof(item.DossierId)), RowKey(item), item.ETag, What, cancellationToken);
    }

    private static string RowKey(ReadBackItem item) =>
        $"{TableKeys.Ensure(item.ConnectionId, nameof(item.ConnectionId))}|{TableKeys.Ensure(item.DeliveryId, nameof(item.DeliveryId))}";

    private static TableEntity ToEntity(ReadBackItem item)
    {
        var entity = new TableEntity(TableKeys.Ensure(item.DossierId, nameof(item.DossierId)), RowKey(item))
        {
            ["ConnectionId"] = item.ConnectionId,
            ["DeliveryId"] = item.DeliveryId,
            ["DocumentId"] = item.DocumentId,
            ["Provider"] = item.Provider,
            ["Reference"] = item.Reference,
            ["DeliveredAt"] = item.DeliveredAt,
            ["State"] = item.State.ToString(),
            ["Reported"] = item.Reported,
        };
        entity.SetIfNotNull("ChangedAt", item.ChangedAt);
        return entity;
    }

    private static ReadBackItem From(TableEntity e) => new()
    {
        DossierId = e.PartitionKey,
        ConnectionId = e.Required("ConnectionId"),
        DeliveryId = e.Required("DeliveryId"),
        DocumentId = e.Required("DocumentId"),
        Provider = e.Required("Provider"),
        Reference = e.Required("Reference"),
        DeliveredAt = e.GetInstant("DeliveredAt"),
        State = e.GetEnum<ReadBackState>("State"),
        Reported = e.GetBoolean("Reported") ?? true,
        ChangedAt = e.GetDateTimeOffset("ChangedAt"),
        ETag = e.ETag.ToString(),
    };
}
