using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Formats.Sniffing;
using Microsoft.Extensions.Caching.Memory;

namespace Koppel.Azure.Tables;

/// <summary>
/// Document records partitioned by dossier, keyed by content hash so the same bytes are one row. A record never
/// changes once written, so the records this process wrote or read recently are kept in memory (bounded): the
/// delivery of a document ingested by the same process does not read its record again.
/// </summary>
public sealed class TableDocumentRepository : IDocumentRepository, IDisposable
{
    private const int CachedRecords = 10_000;

    private readonly KoppelTable _table;
    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = CachedRecords });

    public TableDocumentRepository(TableClient table) => _table = new KoppelTable(table);

    public async Task<DocumentRecord?> GetAsync(string dossierId, string documentId, CancellationToken cancellationToken)
    {
        var key = (TableKeys.Ensure(dossierId, nameof(dossierId)), TableKeys.Ensure(documentId, nameof(documentId)));
        if (_recent.TryGetValue(key, out DocumentRecord? known))
        {
            return known;
        }

        var entity = await _table.GetAsync(key.Item1, key.Item2, cancellationToken);
        return entity is null ? null : Remember(FromEntity(entity));
    }

    public async Task<bool> TryAddAsync(DocumentRecord document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (await _table.TryAddAsync(ToEntity(document), cancellationToken) is null)
        {
            return false;
        }

        Remember(document);
        return true;
    }

    public void Dispose() => _recent.Dispose();

    private DocumentRecord Remember(DocumentRecord record) =>
        _recent.Set((record.DossierId, record.Id), record, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });

    public async IAsyncEnumerable<DocumentRecord> ListAsync(
        string dossierId, DateTimeOffset? receivedFrom, DateTimeOffset? receivedBefore, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId)));
        if (receivedFrom is { } from)
        {
            filter += " and " + TableClient.CreateQueryFilter($"ReceivedAt ge {from}");
        }

        if (receivedBefore is { } before)
        {
            filter += " and " + TableClient.CreateQueryFilter($"ReceivedAt lt {before}");
        }

        // Rows come back in key (hash) order; the port promises oldest first, so one range is sorted in memory.
        var records = new List<DocumentRecord>();
        await foreach (var entity in _table.QueryAsync(filter, null, cancellationToken))
        {
            records.Add(FromEntity(entity));
        }

        foreach (var record in records.OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id, StringComparer.Ordinal))
        {
            yield return record;
        }
    }

    private static TableEntity ToEntity(DocumentRecord d)
    {
        var entity = new TableEntity(TableKeys.Ensure(d.DossierId, nameof(d.DossierId)), TableKeys.Ensure(d.Id, nameof(d.Id)))
        {
            ["FileName"] = d.FileName,
            ["Format"] = d.Format.ToString(),
            ["Kind"] = d.Kind.ToString(),
            ["Size"] = d.Size,
            ["Attachments"] = EntityColumns.ToJson(d.Attachments),
            ["Source"] = d.Source,
            ["ReceivedAt"] = d.ReceivedAt,
        };
        entity.SetIfNotNull("Number", d.Number);
        entity.SetIfNotNull("IssueDate", EntityColumns.ToColumn(d.IssueDate));
        entity.SetIfNotNull("Currency", d.Currency);
        entity.SetIfNotNull("PayableAmount", EntityColumns.ToColumn(d.PayableAmount));
        entity.SetIfNotNull("CounterpartyName", d.CounterpartyName);
        entity.SetIfNotNull("CounterpartyVat", d.CounterpartyVat);
        return entity;
    }

    private static DocumentRecord FromEntity(TableEntity e) => new()
    {
        DossierId = e.PartitionKey,
        Id = e.RowKey,
        FileName = e.Required("FileName"),
        Format = e.GetEnum<DocumentFormat>("Format"),
        Kind = e.GetEnum<DocumentKind>("Kind"),
        Size = e.GetInt64("Size") ?? 0,
        Number = e.GetString("Number"),
        IssueDate = EntityColumns.ToDateOnly(e.GetString("IssueDate")),
        Currency = e.GetString("Currency"),
        PayableAmount = EntityColumns.ToDecimal(e.GetString("PayableAmount")),
        CounterpartyName = e.GetString("CounterpartyName"),
        CounterpartyVat = e.GetString("CounterpartyVat"),
        Attachments = e.FromJson<List<ArchivedAttachment>>("Attachments", []),
        Source = e.Required("Source"),
        ReceivedAt = e.GetInstant("ReceivedAt"),
    };
}
