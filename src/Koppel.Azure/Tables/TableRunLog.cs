using Azure.Data.Tables;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>
/// The run log partitioned by dossier. Core makes run ids that sort newest first, so the table's own key order
/// is already "newest first" and listing the latest runs reads only the first page.
/// </summary>
public sealed class TableRunLog : IRunLog
{
    private const string What = "run";

    private readonly KoppelTable _table;
    private readonly GroupCommit _adds;

    public TableRunLog(TableClient table)
    {
        _table = new KoppelTable(table);
        _adds = new GroupCommit(_table);
    }

    public async Task<RunLogEntry?> GetAsync(string dossierId, string runId, CancellationToken cancellationToken)
    {
        var entity = await _table.GetAsync(TableKeys.Ensure(dossierId, nameof(dossierId)), TableKeys.Ensure(runId, nameof(runId)), cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    public async Task AddAsync(RunLogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var entity = ToEntity(entry);
        if (!await _adds.TryAddAsync(entity, cancellationToken))
        {
            // Run ids carry the time and random bits, so a row already there is almost always our own: the SDK retried
            // an insert whose answer was lost (a timeout on a busy account) and the retry met the row it had written.
            var existing = await _table.GetAsync(entity.PartitionKey, entity.RowKey, cancellationToken);
            if (existing is null || !SameRun(existing, entity))
            {
                throw new ConcurrencyConflictException($"Run '{entry.DossierId}/{entry.RunId}' exists already.");
            }
        }
    }

    private static readonly string[] IdentifyingColumns = ["Category", "StartedBy", "ResultText"];

    private static bool SameRun(TableEntity stored, TableEntity written) =>
        IdentifyingColumns.All(c => string.Equals(stored.GetString(c), written.GetString(c), StringComparison.Ordinal))
        && stored.GetDateTimeOffset("StartedAt") is { } a && written.GetDateTimeOffset("StartedAt") is { } b && (a - b).Duration() < TimeSpan.FromMilliseconds(1);

    public async Task<RunLogEntry> ReplaceAsync(RunLogEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var etag = await _table.ReplaceIfMatchAsync(ToEntity(entry), entry.ETag, What, cancellationToken);
        return entry with { ETag = etag };
    }

    public async Task<Page<RunLogEntry>> ListPageAsync(string dossierId, PageRequest page, CancellationToken cancellationToken) =>
        (await _table.QueryPageAsync(KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId))), page, cancellationToken)).Select(FromEntity);

    private static TableEntity ToEntity(RunLogEntry r)
    {
        var entity = new TableEntity(TableKeys.Ensure(r.DossierId, nameof(r.DossierId)), TableKeys.Ensure(r.RunId, nameof(r.RunId)))
        {
            ["Category"] = r.Category.ToString(),
            ["Status"] = r.Status.ToString(),
            ["StartedAt"] = r.StartedAt,
            ["TotalDocuments"] = r.TotalDocuments,
            ["SucceededDocuments"] = r.SucceededDocuments,
            ["FailedDocuments"] = r.FailedDocuments,
            ["SkippedDocuments"] = r.SkippedDocuments,
            ["SkippedAtStart"] = r.SkippedAtStart,
            ["StartedBy"] = r.StartedBy,
        };
        entity.SetIfNotNull("Provider", r.Provider);
        entity.SetIfNotNull("ConnectionId", r.ConnectionId);
        entity.SetIfNotNull("EndedAt", r.EndedAt);
        entity.SetIfNotNull("ResultText", r.ResultText);
        entity.SetIfNotNull("JobCursor", r.JobCursor);
        return entity;
    }

    private static RunLogEntry FromEntity(TableEntity e) => new()
    {
        DossierId = e.PartitionKey,
        RunId = e.RowKey,
        Category = e.GetEnum<RunCategory>("Category"),
        Provider = e.GetString("Provider"),
        ConnectionId = e.GetString("ConnectionId"),
        Status = e.GetEnum<RunStatus>("Status"),
        StartedAt = e.GetInstant("StartedAt"),
        EndedAt = e.GetDateTimeOffset("EndedAt"),
        ResultText = e.GetString("ResultText"),
        TotalDocuments = e.GetInt32("TotalDocuments") ?? 0,
        SucceededDocuments = e.GetInt32("SucceededDocuments") ?? 0,
        FailedDocuments = e.GetInt32("FailedDocuments") ?? 0,
        SkippedDocuments = e.GetInt32("SkippedDocuments") ?? 0,
        SkippedAtStart = e.GetInt32("SkippedAtStart") ?? 0,
        StartedBy = e.GetString("StartedBy") ?? "system",
        JobCursor = e.GetString("JobCursor"),
        ETag = e.ETag.ToString(),
    };
}
