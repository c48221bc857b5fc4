using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Azure.Data.Tables;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>
/// Document history partitioned by dossier. The row key <c>{documentId}|{ticks:D19}|{random}</c> keeps one document's
/// events together and in time order, so its history is a single range query; the random tail keeps two events in
/// the same tick apart.
/// </summary>
public sealed class TableDocumentHistory : IDocumentHistory
{
    private const char Separator = '|';

    private readonly KoppelTable _table;
    private readonly GroupCommit _appends;

    public TableDocumentHistory(TableClient table)
    {
        _table = new KoppelTable(table);
        _appends = new GroupCommit(_table);
    }

    public Task AppendAsync(HistoryEntry entry, CancellationToken cancellationToken) => AppendAsync([entry], cancellationToken);

    public async Task AppendAsync(IReadOnlyList<HistoryEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var rows = entries.Select(NewRow).ToList();
        var added = await _appends.TryAddAllAsync(rows, cancellationToken);

        // History is append-only: a row that hits an existing key (same tick, same random tail) gets a new tail rather
        // than overwriting an event.
        for (var i = 0; i < rows.Count; i++)
        {
            var stored = added[i];
            for (var attempt = 0; !stored && attempt < 3; attempt++)
            {
                stored = await _appends.TryAddAsync(NewRow(entries[i]), cancellationToken);
            }

            if (!stored)
            {
                throw new InvalidOperationException($"Could not find a free history key for document '{entries[i].DocumentId}'.");
            }
        }
    }

    private static TableEntity NewRow(HistoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var documentId = EnsureDocumentId(entry.DocumentId);
        var dossierId = TableKeys.Ensure(entry.DossierId, nameof(entry.DossierId));
        var rowKey = string.Create(
            CultureInfo.InvariantCulture,
            $"{documentId}{Separator}{entry.At.UtcTicks:D19}{Separator}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}");
        return ToEntity(dossierId, rowKey, documentId, entry);
    }

    private static TableEntity ToEntity(string dossierId, string rowKey, string documentId, HistoryEntry entry)
    {
        var entity = new TableEntity(dossierId, rowKey)
        {
            ["DocumentId"] = documentId,
            ["Event"] = entry.Event.ToString(),
            ["At"] = entry.At,
            ["Actor"] = entry.Actor,
        };
        entity.SetIfNotNull("ConnectionId", entry.ConnectionId);
        entity.SetIfNotNull("Provider", entry.Provider);
        entity.SetIfNotNull("Reference", entry.Reference);
        entity.SetIfNotNull("Detail", entry.Detail);
        return entity;
    }

    public async IAsyncEnumerable<HistoryEntry> ListAsync(string dossierId, string documentId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var e in _table.QueryAsync(DocumentFilter(dossierId, documentId), null, cancellationToken))
        {
            yield return FromEntity(e);
        }
    }

    public async Task<Page<HistoryEntry>> ListPageAsync(string dossierId, string documentId, PageRequest page, CancellationToken cancellationToken) =>
        (await _table.QueryPageAsync(DocumentFilter(dossierId, documentId), page, cancellationToken)).Select(FromEntity);

    /// <summary>One document's events: the row keys between "{documentId}|" and the next separator value.</summary>
    private static string DocumentFilter(string dossierId, string documentId)
    {
        var document = EnsureDocumentId(documentId);
        var from = document + Separator;
        var to = document + (char)(Separator + 1);
        return KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId))) + " and " +
            TableClient.CreateQueryFilter($"RowKey ge {from} and RowKey lt {to}");
    }

    private static HistoryEntry FromEntity(TableEntity e) => new()
    {
        DossierId = e.PartitionKey,
        DocumentId = e.Required("DocumentId"),
        Event = e.GetEnum<HistoryEvent>("Event"),
        At = e.GetInstant("At"),
        ConnectionId = e.GetString("ConnectionId"),
        Provider = e.GetString("Provider"),
        Reference = e.GetString("Reference"),
        Detail = e.GetString("Detail"),
        Actor = e.GetString("Actor") ?? "system",
    };

    private static string EnsureDocumentId(string documentId)
    {
        TableKeys.Ensure(documentId, nameof(documentId));
        if (documentId.Contains(Separator, StringComparison.Ordinal))
        {
            throw new ArgumentException($"A document id must not contain '{Separator}'.", nameof(documentId));
        }

        return documentId;
    }
}
