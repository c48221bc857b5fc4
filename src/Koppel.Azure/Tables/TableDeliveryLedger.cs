using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>
/// The delivery ledger: one row per document and connection, partitioned by dossier, guarded by ETags.
/// Beside each unfinished delivery's row, in the same partition, lies a marker row <c>~open~{deliveryId}</c>: written
/// in one transaction with the first ledger row and removed in one transaction with the final one, so the index of
/// unfinished work costs no extra call, and the sweeper reads one key range per dossier instead of the whole ledger,
/// whose size grows with every delivery ever made. Every other query of the ledger stays below <c>~</c>.
/// </summary>
public sealed class TableDeliveryLedger : IDeliveryLedger
{
    private const string What = "delivery";
    private const string MarkerPrefix = "~open~";
    private const string LedgerRowsEnd = "~";

    /// <summary>The statuses <see cref="DeliveryEntry.IsFinal"/> calls final; a test keeps the two in step.</summary>
    internal static readonly DeliveryStatus[] FinalStatuses = [DeliveryStatus.Delivered, DeliveryStatus.Failed, DeliveryStatus.DeadLettered, DeliveryStatus.Skipped, DeliveryStatus.Discarded];

    private readonly KoppelTable _table;
    private readonly Func<CancellationToken, IAsyncEnumerable<string>> _dossierIds;

    /// <param name="dossierIds">Every dossier (partition) there is, for the sweep.</param>
    public TableDeliveryLedger(TableClient table, Func<CancellationToken, IAsyncEnumerable<string>> dossierIds)
    {
        _table = new KoppelTable(table);
        _dossierIds = dossierIds;
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
        var row = ToEntity(entry);
        if (entry.IsFinal)
        {
            if (await _table.TryAddAsync(row, cancellationToken) is { } etag)
            {
                return entry with { ETag = etag };
            }
        }
        else
        {
            var client = await _table.ClientAsync(cancellationToken);
            try
            {
                var stored = await client.SubmitTransactionAsync(
                    [new TableTransactionAction(TableTransactionActionType.Add, row), new TableTransactionAction(TableTransactionActionType.UpsertReplace, Marker(entry))],
                    cancellationToken);
                return entry with { ETag = stored.Value[0].Headers.ETag?.ToString() };
            }
            catch (TableTransactionFailedException e) when (e.Status == 409 && e.FailedTransactionActionIndex == 0)
            {
                // Someone added it first (and its marker with it, while it is unfinished).
            }
        }

        return await GetAsync(entry.DossierId, entry.DeliveryId, cancellationToken)
            ?? throw new ConcurrencyConflictException($"Delivery '{entry.DossierId}/{entry.DeliveryId}' existed a moment ago and is gone now.");
    }

    public async Task<DeliveryEntry> ReplaceAsync(DeliveryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!entry.IsFinal || string.IsNullOrEmpty(entry.ETag))
        {
            return entry with { ETag = await _table.ReplaceIfMatchAsync(ToEntity(entry), entry.ETag, What, cancellationToken) };
        }

        var client = await _table.ClientAsync(cancellationToken);
        try
        {
            var stored = await client.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(entry), new ETag(entry.ETag)),
                    new TableTransactionAction(TableTransactionActionType.Delete, Marker(entry), ETag.All),
                ],
                cancellationToken);
            return entry with { ETag = stored.Value[0].Headers.ETag?.ToString() };
        }
        catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status is 412 or 404)
        {
            throw new ConcurrencyConflictException($"The {What} '{entry.DossierId}/{entry.DeliveryId}' was changed or removed by someone else; reload it and try again.", e);
        }
        catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 1 && e.Status == 404)
        {
            // No marker (a sweep removed it already): the row alone.
            return entry with { ETag = await _table.ReplaceIfMatchAsync(ToEntity(entry), entry.ETag, What, cancellationToken) };
        }
    }

    public async Task<DeliveryEntry> ReopenAsync(DeliveryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.IsFinal || string.IsNullOrEmpty(entry.ETag))
        {
            throw new ArgumentException("Reopening needs an unfinished entry read from the ledger (with its ETag).", nameof(entry));
        }

        // The row and its open marker in one transaction: reopened, it is unfinished work the sweep must find again.
        var client = await _table.ClientAsync(cancellationToken);
        try
        {
            var stored = await client.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(entry), new ETag(entry.ETag)),
                    new TableTransactionAction(TableTransactionActionType.UpsertReplace, Marker(entry)),
                ],
                cancellationToken);
            return entry with { ETag = stored.Value[0].Headers.ETag?.ToString() };
        }
        catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status is 412 or 404)
        {
            throw new ConcurrencyConflictException($"The {What} '{entry.DossierId}/{entry.DeliveryId}' was changed or removed by someone else; reload it and try again.", e);
        }
    }

    public IAsyncEnumerable<DeliveryEntry> ListForDocumentAsync(string dossierId, string documentId, CancellationToken cancellationToken) =>
        QueryAsync(
            LedgerRows(dossierId) + " and " +
            TableClient.CreateQueryFilter($"DocumentId eq {documentId}"),
            cancellationToken);

    public IAsyncEnumerable<DeliveryEntry> ListForRunAsync(string dossierId, string runId, CancellationToken cancellationToken) =>
        QueryAsync(
            LedgerRows(dossierId) + " and " +
            TableClient.CreateQueryFilter($"RunId eq {runId}"),
            cancellationToken);

    public IAsyncEnumerable<DeliveryEntry> ListAsync(string dossierId, DeliveryStatus? status, CancellationToken cancellationToken) =>
        QueryAsync(StatusFilter(dossierId, status), cancellationToken);

    public async Task<Koppel.Core.Ports.Page<DeliveryEntry>> ListPageAsync(string dossierId, DeliveryStatus? status, PageRequest page, CancellationToken cancellationToken) =>
        (await _table.QueryPageAsync(StatusFilter(dossierId, status), page, cancellationToken)).Select(FromEntity);

    private static string StatusFilter(string dossierId, DeliveryStatus? status)
    {
        var filter = LedgerRows(dossierId);
        if (status is { } wanted)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {wanted.ToString()}");
        }

        return filter;
    }

    /// <summary>Reads the markers of unfinished deliveries, dossier by dossier, and each one's ledger row; markers of finished ones are removed.</summary>
    public async IAsyncEnumerable<DeliveryEntry> ListUnfinishedAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var dossierId in _dossierIds(cancellationToken))
        {
            var partition = TableKeys.Ensure(dossierId, nameof(dossierId));
            var markers = KoppelTable.PartitionFilter(partition) + " and " +
                TableClient.CreateQueryFilter($"RowKey ge {MarkerPrefix} and RowKey lt {MarkerPrefix + '\u007f'}");
            await foreach (var marker in _table.QueryAsync(markers, null, cancellationToken))
            {
                var deliveryId = marker.RowKey[MarkerPrefix.Length..];
                var entry = await GetAsync(dossierId, deliveryId, cancellationToken);
                if (entry is null || entry.IsFinal)
                {
                    await _table.DeleteAsync(partition, marker.RowKey, cancellationToken);
                    continue;
                }

                yield return entry;
            }
        }
    }

    private static string LedgerRows(string dossierId) =>
        KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId))) + " and " + TableClient.CreateQueryFilter($"RowKey lt {LedgerRowsEnd}");

    private static TableEntity Marker(DeliveryEntry entry) =>
        new(TableKeys.Ensure(entry.DossierId, nameof(entry.DossierId)), MarkerPrefix + TableKeys.Ensure(entry.DeliveryId, nameof(entry.DeliveryId)));

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
        if (d.Round > 0)
        {
            entity["Round"] = d.Round;
        }

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
        Round = e.GetInt32("Round") ?? 0,
        CreatedAt = e.GetInstant("CreatedAt"),
        UpdatedAt = e.GetInstant("UpdatedAt"),
        ETag = e.ETag.ToString(),
    };
}
