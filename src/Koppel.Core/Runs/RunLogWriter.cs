using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;

namespace Koppel.Core.Runs;

/// <summary>
/// Writes run-log lines and keeps the counters of a long run (an export) exact. The counters are not incremented:
/// they are derived from the run's deliveries in the ledger each time one finishes, so a lost update or a conflict
/// cannot make them drift, and the run closes as soon as every delivery has an outcome.
/// </summary>
public sealed class RunLogWriter(IRunLog runLog, IDeliveryLedger ledger, TimeProvider clock, ILogger<RunLogWriter>? logger = null)
{
    private const int MaxConflicts = 50;

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

    /// <summary>A delivery of a long run finished: recount the run from the ledger and close it when all are done.</summary>
    public async Task CountAsync(string dossierId, string runId, CancellationToken cancellationToken)
    {
        var run = await runLog.GetAsync(dossierId, runId, cancellationToken);
        if (run is not null && run.Status == RunStatus.Running)
        {
            await RecountAsync(run, cancellationToken);
        }
    }

    /// <summary>
    /// Derives the counters of a running run from its deliveries and stores them (closing the run when complete).
    /// A conflict means another worker stored a count meanwhile: read again and recount, which is always right.
    /// </summary>
    public async Task<RunLogEntry> RecountAsync(RunLogEntry run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        for (var attempt = 0; attempt < MaxConflicts; attempt++)
        {
            int delivered = 0, failed = 0, skipped = 0;
            await foreach (var entry in ledger.ListForRunAsync(run.DossierId, run.RunId, cancellationToken))
            {
                switch (entry.Status)
                {
                    case DeliveryStatus.Delivered: delivered++; break;
                    case DeliveryStatus.Failed or DeliveryStatus.DeadLettered: failed++; break;
                    // Discarded: not delivered on purpose, like a skip; it no longer counts as a failure.
                    case DeliveryStatus.Skipped or DeliveryStatus.Discarded: skipped++; break;
                }
            }

            var counted = Close(run with { SucceededDocuments = delivered, FailedDocuments = failed, SkippedDocuments = run.SkippedAtStart + skipped });
            if (counted.SucceededDocuments == run.SucceededDocuments && counted.FailedDocuments == run.FailedDocuments
                && counted.SkippedDocuments == run.SkippedDocuments && counted.Status == run.Status)
            {
                return run;
            }

            try
            {
                return await runLog.ReplaceAsync(counted, cancellationToken);
            }
            catch (ConcurrencyConflictException)
            {
                run = await runLog.GetAsync(run.DossierId, run.RunId, cancellationToken) ?? run;
                if (run.Status != RunStatus.Running)
                {
                    return run;
                }
            }
        }

        // Not exact in storage for now, but not lost either: the next delivery or the next read of the run recounts it.
        logger?.LogWarning("Gave up storing the counters of run {RunId} of dossier {DossierId} after {Attempts} conflicts; the next recount will store them", run.RunId, run.DossierId, MaxConflicts);
        return run;
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
