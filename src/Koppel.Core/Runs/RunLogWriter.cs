using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Core.Runs;

/// <summary>Writes run-log lines and keeps the counters of a long run (an export) right under concurrent updates.</summary>
public sealed class RunLogWriter(IRunLog runLog, TimeProvider clock)
{
    /// <summary>Records a run that starts and ends at once (one ingest, one delivery).</summary>
    public async Task<RunLogEntry> RecordAsync(
        string dossierId,
        RunCategory category,
        RunStatus status,
        string resultText,
        int totalDocuments,
        string? provider = null,
        string? connectionId = null,
        string startedBy = "system",
        DateTimeOffset? startedAt = null,
        CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var entry = new RunLogEntry
        {
            DossierId = dossierId,
            RunId = RunIds.New(now),
            Category = category,
            Provider = provider,
            ConnectionId = connectionId,
            Status = status,
            StartedAt = startedAt ?? now,
            EndedAt = now,
            ResultText = resultText,
            TotalDocuments = totalDocuments,
            SucceededDocuments = status == RunStatus.Succeeded ? totalDocuments : 0,
            FailedDocuments = status == RunStatus.Failed ? totalDocuments : 0,
            StartedBy = startedBy,
        };
        await runLog.AddAsync(entry, cancellationToken);
        return entry;
    }

    /// <summary>Counts one finished document of a long run and closes the run when all are done.</summary>
    public async Task CountAsync(string dossierId, string runId, DeliveryStatus outcome, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var run = await runLog.GetAsync(dossierId, runId, cancellationToken);
            if (run is null || run.Status != RunStatus.Running)
            {
                return;
            }

            var updated = outcome switch
            {
                DeliveryStatus.Delivered => run with { SucceededDocuments = run.SucceededDocuments + 1 },
                DeliveryStatus.Skipped => run with { SkippedDocuments = run.SkippedDocuments + 1 },
                _ => run with { FailedDocuments = run.FailedDocuments + 1 },
            };
            updated = Close(updated);
            try
            {
                await runLog.ReplaceAsync(updated, cancellationToken);
                return;
            }
            catch (ConcurrencyConflictException)
            {
                // Another delivery of the same run counted at the same moment; read again and recount.
            }
        }
    }

    /// <summary>Sets the final status once every document of the run has an outcome.</summary>
    public RunLogEntry Close(RunLogEntry run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var done = run.SucceededDocuments + run.FailedDocuments + run.SkippedDocuments;
        if (done < run.TotalDocuments)
        {
            return run;
        }

        var status = run.FailedDocuments == 0 ? RunStatus.Succeeded
            : run.SucceededDocuments + run.SkippedDocuments == 0 ? RunStatus.Failed
            : RunStatus.PartiallySucceeded;
        return run with
        {
            Status = status,
            EndedAt = clock.GetUtcNow(),
            ResultText = $"{run.SucceededDocuments} delivered, {run.FailedDocuments} failed, {run.SkippedDocuments} skipped of {run.TotalDocuments}.",
        };
    }
}
