using System.Globalization;
using Koppel.Core.Delivery;
using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Runs;
using Koppel.Core.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Export;

/// <summary>
/// A manual export: one document, a list, or every document received in a date range, to one connection or all.
/// Already delivered documents are skipped unless <see cref="Resend"/> is set, which delivers them again on purpose
/// (a new delivery, recorded in the history as "resent by"). <see cref="DryRun"/> queues nothing and records no run: the
/// answer is what the export would send (<see cref="ExportPreview"/>).
/// </summary>
public sealed record ExportRequest(
    IReadOnlyList<string>? DocumentIds,
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? ConnectionId,
    bool Resend,
    bool DryRun = false);

/// <summary>
/// What an export would do, asked with <see cref="ExportRequest.DryRun"/>: per connection how many documents it would
/// send and how many it would skip as delivered already (resend off), and the first <see cref="ExportPreview.Items"/>.
/// </summary>
public sealed record ExportPreview(
    string DossierId,
    int Documents,
    int WouldSend,
    int AlreadyDelivered,
    IReadOnlyList<ExportPreviewConnection> Connections,
    IReadOnlyList<ExportPreviewItem> Items,
    bool ItemsTruncated);

public sealed record ExportPreviewConnection(string ConnectionId, string Provider, string? DisplayName, int WouldSend, int AlreadyDelivered);

/// <summary>One document to one connection: <c>Send</c>, or <c>Skip</c> because it was delivered already (with the provider's reference).</summary>
public sealed record ExportPreviewItem(string DocumentId, string FileName, string ConnectionId, string Action, string? ProviderReference);

/// <summary>
/// Starts manual exports and runs their jobs. Asking for an export checks it, records the run (<see cref="RunStatus.Queued"/>)
/// and queues an <see cref="ExportJob"/>: the caller has its answer before a single delivery is queued. The job pages
/// through the documents (one page in memory), queues a delivery per document and connection with an id fixed by run,
/// document and connection, and stores after each page where it got to and what it counted. Picked up again after a
/// crash it goes on from the last stored page; documents of that page that already have their delivery are counted,
/// not queued again. When the last page is done the run turns <see cref="RunStatus.Running"/> with its exact total and
/// closes as its deliveries end (see <see cref="RunLogWriter"/>).
/// </summary>
public sealed class ExportHandler(
    IDossierRepository dossiers,
    IConnectionRepository connections,
    IDocumentRepository documents,
    IDeliveryLedger ledger,
    IRunLog runLog,
    RunLogWriter runLogWriter,
    DeliveryDispatcher dispatcher,
    IExportJobQueue jobs,
    IOptions<ExportOptions> options,
    TimeProvider clock,
    ILogger<ExportHandler> logger)
{
    /// <summary>Checks the request, records the run and queues its job; returns the run at once (status Queued).</summary>
    public async Task<RunLogEntry> StartAsync(string dossierId, ExportRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var (ids, targets) = await CheckAsync(dossierId, request, caller, cancellationToken);
        var now = clock.GetUtcNow();
        var what = ids is not null ? $"{ids.Count} document(s)" : "the documents received in the range";
        var run = new RunLogEntry
        {
            DossierId = dossierId,
            RunId = RunIds.New(now),
            Category = RunCategory.Export,
            Status = RunStatus.Queued,
            Provider = targets.Count == 1 ? targets[0].Provider : null,
            ConnectionId = targets.Count == 1 ? targets[0].Id : null,
            StartedAt = now,
            StartedBy = caller.Name,
            ResultText = $"Export of {what} to {targets.Count} connection(s) queued.",
        };
        var job = JobFor(dossierId, run.RunId, request, ids, targets, caller);

        // Saving the run and queuing its job are two writes: the watchdog, queued first and seen only later, covers a
        // crash between them. A crash before the run is saved leaves only the watchdog, which finds no run and stops.
        await jobs.EnqueueAsync(job with { Watchdog = true }, options.Value.WatchdogDelay, cancellationToken);
        await runLog.AddAsync(run, cancellationToken);
        try
        {
            await jobs.EnqueueAsync(job, delay: null, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing was queued: the run ends now rather than waiting for a job that will never come.
            logger.LogError(ex, "Export run {RunId} of dossier {DossierId} could not be queued", run.RunId, dossierId);
            var stored = await runLog.GetAsync(dossierId, run.RunId, CancellationToken.None) ?? run;
            await runLog.ReplaceAsync(
                stored with { Status = RunStatus.Failed, EndedAt = clock.GetUtcNow(), ResultText = "The export could not be queued; nothing was sent. Ask for it again." },
                CancellationToken.None);
            throw;
        }

        return await runLog.GetAsync(dossierId, run.RunId, cancellationToken) ?? run;
    }

    /// <summary>How many document-and-connection lines a dry run lists; its counts cover all of them.</summary>
    public const int MaxPreviewItems = 200;

    /// <summary>The checks an export and its dry run share: access, the dossier, documentIds xor a range, the connections.</summary>
    private async Task<(List<string>? Ids, List<Connection> Targets)> CheckAsync(string dossierId, ExportRequest request, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        _ = await dossiers.GetAsync(dossierId, cancellationToken) ?? throw new ResourceNotFoundException($"Dossier {dossierId} does not exist.");

        var hasIds = request.DocumentIds is { Count: > 0 };
        if (hasIds == (request.From is not null || request.To is not null))
        {
            throw new RequestValidationException("documentIds", "Give either documentIds or a date range (from/to), not both and not neither.");
        }

        if (request.From is not null && request.To is not null && request.To <= request.From)
        {
            throw new RequestValidationException("to", "'to' must be after 'from'.");
        }

        var settings = options.Value;
        var ids = request.DocumentIds?.Distinct(StringComparer.Ordinal).ToList();
        if (ids is not null && ids.Count > settings.MaxDocumentIds)
        {
            throw new RequestValidationException("documentIds", $"Name at most {settings.MaxDocumentIds} documents, or export a date range (from/to).");
        }

        var targets = await ResolveConnectionsAsync(dossierId, request.ConnectionId, cancellationToken);
        foreach (var id in ids ?? [])
        {
            _ = await documents.GetAsync(dossierId, id, cancellationToken)
                ?? throw new RequestValidationException("documentIds", $"Document {id} does not exist in dossier {dossierId}.");
        }

        return (ids, targets);
    }

    /// <summary>The job an export request makes, the same for the export and its dry run.</summary>
    private static ExportJob JobFor(string dossierId, string runId, ExportRequest request, List<string>? ids, IReadOnlyList<Connection> targets, Caller caller) => new()
    {
        DossierId = dossierId,
        RunId = runId,
        DocumentIds = ids,
        From = request.From,
        To = request.To,
        ConnectionIds = targets.Select(c => c.Id).ToList(),
        ConnectionNamed = request.ConnectionId is not null,
        Resend = request.Resend,
        Actor = caller.Name,
    };

    /// <summary>
    /// The dry run: the same checks and the same choice per document and connection as the job makes, but nothing is
    /// queued and no run recorded. Counts cover every document; at most <see cref="MaxPreviewItems"/> lines are listed.
    /// </summary>
    public async Task<ExportPreview> PreviewAsync(string dossierId, ExportRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var (ids, targets) = await CheckAsync(dossierId, request, caller, cancellationToken);
        var job = JobFor(dossierId, "dry-run", request, ids, targets, caller);
        var perConnection = targets.ToDictionary(c => c.Id, _ => (Send: 0, Skip: 0), StringComparer.Ordinal);
        var items = new List<ExportPreviewItem>();
        int documentCount = 0, truncated = 0;
        string? cursor = null;
        do
        {
            var (page, next) = await ReadPageAsync(job, cursor, Math.Clamp(options.Value.PageSize, 1, PageRequest.MaxSize), cancellationToken);
            foreach (var document in page)
            {
                documentCount++;
                foreach (var connection in targets.Where(c => job.ConnectionNamed || c.Wants(document.Kind)))
                {
                    var automatic = await ledger.GetAsync(dossierId, DeliveryIds.For(document.Id, connection.Id), cancellationToken);
                    var skip = !request.Resend && automatic is { Status: DeliveryStatus.Delivered };
                    var (send, skipped) = perConnection[connection.Id];
                    perConnection[connection.Id] = skip ? (send, skipped + 1) : (send + 1, skipped);
                    if (items.Count < MaxPreviewItems)
                    {
                        items.Add(new ExportPreviewItem(document.Id, document.FileName, connection.Id, skip ? "Skip" : "Send", automatic?.ProviderReference));
                    }
                    else
                    {
                        truncated++;
                    }
                }
            }

            cursor = next;
        }
        while (cursor is not null);

        var lines = targets.Select(c => new ExportPreviewConnection(c.Id, c.Provider, c.DisplayName, perConnection[c.Id].Send, perConnection[c.Id].Skip)).ToList();
        return new ExportPreview(dossierId, documentCount, lines.Sum(l => l.WouldSend), lines.Sum(l => l.AlreadyDelivered), lines, items, truncated > 0);
    }

    /// <summary>
    /// Runs (or goes on with) an export job: queues the deliveries page by page until the documents are done or the
    /// slice is used up (then the job queues its own continuation). <paramref name="attempt"/> is how often this very
    /// message was picked up; at <see cref="ExportOptions.MaxJobAttempts"/> the job stops queuing and the run ends with
    /// what was queued.
    /// </summary>
    public async Task RunJobAsync(ExportJob job, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var run = await runLog.GetAsync(job.DossierId, job.RunId, cancellationToken);
        if (run is null || run.Status != RunStatus.Queued)
        {
            return; // done already: a second copy of the message, or the continuation of a job that finished
        }

        if (job.Watchdog)
        {
            await WatchAsync(job, run, cancellationToken);
            return;
        }

        try
        {
            await WorkAsync(job, run, attempt, cancellationToken);
        }
        catch (ConcurrencyConflictException)
        {
            // Another pick-up of the same job (a second copy of the message, or the watchdog's) stored first: that one
            // goes on, this one lets go rather than fail and count towards the job's attempts.
            logger.LogInformation("Export run {RunId} of dossier {DossierId} is worked on by another pick-up; this one lets go", job.RunId, job.DossierId);
        }
    }

    /// <summary>The run is still queued when the watchdog comes: without a page done, its job is queued again.</summary>
    private async Task WatchAsync(ExportJob job, RunLogEntry run, CancellationToken cancellationToken)
    {
        if (run.JobCursor is not null || run.TotalDocuments > 0)
        {
            return; // the job is under way; its own message carries it on
        }

        logger.LogWarning(
            "Export run {RunId} of dossier {DossierId} is still queued {Delay} after it was asked for, without a page done; its job is queued again",
            run.RunId, run.DossierId, options.Value.WatchdogDelay);
        await jobs.EnqueueAsync(job with { Watchdog = false }, delay: null, cancellationToken);
    }

    private async Task WorkAsync(ExportJob job, RunLogEntry run, int attempt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (attempt >= settings.MaxJobAttempts)
        {
            logger.LogError(
                "Export run {RunId} of dossier {DossierId} stops queuing after {Attempts} failed pick-ups; it ends with the {Total} deliveries queued so far",
                run.RunId, run.DossierId, attempt, run.TotalDocuments);
            await FinishQueuingAsync(run, $"The export stopped early: its job failed {attempt} times. ", cancellationToken);
            return;
        }

        var targets = new List<Connection>();
        foreach (var id in job.ConnectionIds)
        {
            // A connection deleted since the export was asked for gets nothing.
            if (await connections.GetAsync(job.DossierId, id, cancellationToken) is { } connection)
            {
                targets.Add(connection);
            }
        }

        var sliceStarted = clock.GetUtcNow();
        while (true)
        {
            var (page, next) = await ReadPageAsync(job, run.JobCursor, Math.Clamp(settings.PageSize, 1, PageRequest.MaxSize), cancellationToken);
            int queued = 0, skipped = 0;
            foreach (var document in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var connection in targets.Where(c => job.ConnectionNamed || c.Wants(document.Kind)))
                {
                    if (await QueueAsync(job, run.RunId, document, connection, cancellationToken))
                    {
                        queued++;
                    }
                    else
                    {
                        skipped++;
                    }
                }
            }

            var skippedAtStart = run.SkippedAtStart + skipped;
            run = run with
            {
                TotalDocuments = run.TotalDocuments + queued + skipped,
                SkippedAtStart = skippedAtStart,
                SkippedDocuments = skippedAtStart,
                JobCursor = next,
            };
            if (next is null)
            {
                await FinishQueuingAsync(run, "", cancellationToken);
                return;
            }

            // Another pick-up of the same job storing first makes this throw: see RunJobAsync.
            run = await runLog.ReplaceAsync(run with { ResultText = $"Export queuing: {run.TotalDocuments} so far." }, cancellationToken);
            if (clock.GetUtcNow() - sliceStarted >= settings.SliceDuration)
            {
                await jobs.EnqueueAsync(job, delay: null, cancellationToken);
                return;
            }
        }
    }

    /// <summary>
    /// Queues one document to one connection for the run; false when it is skipped (delivered already, no resend).
    /// A delivery of this run that exists already was queued by an earlier pick-up: it is counted, not queued again.
    /// </summary>
    private async Task<bool> QueueAsync(ExportJob job, string runId, DocumentRecord document, Connection connection, CancellationToken cancellationToken)
    {
        if (await ledger.GetAsync(job.DossierId, DeliveryIds.For(document.Id, connection.Id, runId), cancellationToken) is not null)
        {
            return true;
        }

        var automatic = await ledger.GetAsync(job.DossierId, DeliveryIds.For(document.Id, connection.Id), cancellationToken);
        if (!job.Resend && automatic is { Status: DeliveryStatus.Delivered })
        {
            return false;
        }

        // Each export is its own generation: a resend never collides with the automatic delivery's ledger line.
        await dispatcher.DispatchAsync(document, [connection], runId, generation: runId, actor: job.Actor, cancellationToken);
        return true;
    }

    /// <summary>Every delivery is queued: the total is final, and the run closes as soon as all of them have ended.</summary>
    private async Task FinishQueuingAsync(RunLogEntry run, string note, CancellationToken cancellationToken)
    {
        var running = await runLog.ReplaceAsync(
            run with { Status = RunStatus.Running, JobCursor = null, ResultText = $"{note}Export of {run.TotalDocuments} delivery(ies) queued." },
            cancellationToken);
        await runLogWriter.RecountAsync(running, cancellationToken);
    }

    /// <summary>The job's next page: a slice of the named ids (cursor = index), or a page of the range (cursor = the store's token).</summary>
    private async Task<(IReadOnlyList<DocumentRecord> Page, string? Next)> ReadPageAsync(ExportJob job, string? cursor, int size, CancellationToken cancellationToken)
    {
        if (job.DocumentIds is { } ids)
        {
            var start = cursor is null ? 0 : int.Parse(cursor, CultureInfo.InvariantCulture);
            var page = new List<DocumentRecord>();
            foreach (var id in ids.Skip(start).Take(size))
            {
                if (await documents.GetAsync(job.DossierId, id, cancellationToken) is { } document)
                {
                    page.Add(document);
                }
            }

            var end = start + size;
            return (page, end < ids.Count ? end.ToString(CultureInfo.InvariantCulture) : null);
        }

        var stored = await documents.ListPageAsync(job.DossierId, job.From, job.To, new PageRequest(size, cursor), cancellationToken);
        return (stored.Items, stored.ContinuationToken);
    }

    public async Task<RunLogEntry> GetRunAsync(string dossierId, string runId, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        caller.EnsureCanAccess(dossierId);
        var run = await runLog.GetAsync(dossierId, runId, cancellationToken)
            ?? throw new ResourceNotFoundException($"Run {runId} does not exist in dossier {dossierId}.");

        // A running run is counted afresh from its deliveries: what the caller sees is exact even if a count was lost.
        return run.Status == RunStatus.Running ? await runLogWriter.RecountAsync(run, cancellationToken) : run;
    }

    private async Task<List<Connection>> ResolveConnectionsAsync(string dossierId, string? connectionId, CancellationToken cancellationToken)
    {
        if (connectionId is not null)
        {
            var one = await connections.GetAsync(dossierId, connectionId, cancellationToken)
                ?? throw new RequestValidationException("connectionId", $"Connection {connectionId} does not exist in dossier {dossierId}.");
            return [one];
        }

        var all = new List<Connection>();
        await foreach (var connection in connections.ListAsync(dossierId, cancellationToken))
        {
            if (connection.Enabled)
            {
                all.Add(connection);
            }
        }

        return all.Count > 0 ? all : throw new RequestValidationException("connectionId", $"Dossier {dossierId} has no enabled connection to export to.");
    }
}
