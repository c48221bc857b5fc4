using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Export;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;

namespace Koppel.Core.Tests.Export;

public class ExportHandlerTests
{
    private readonly CoreHarness _harness = new();

    [Fact]
    public async Task Exporting_delivered_documents_skips_them_unless_a_resend_is_asked()
    {
        await _harness.SeedAsync();
        var ingest = await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "i.xml", CoreHarness.Sample("demo-invoice.xml")), default);
        await _harness.DrainQueueAsync();

        var started = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest([ingest.DocumentId!], null, null, null, Resend: false), Caller.ForAll("anna"), default);
        await _harness.RunExportJobsAsync();
        var skipped = await _harness.Export.GetRunAsync(CoreHarness.DossierId, started.RunId, Caller.ForAll("anna"), default);
        Assert.Equal(RunStatus.Succeeded, skipped.Status);
        Assert.Equal(1, skipped.SkippedDocuments);
        Assert.Single(_harness.Connector.Booked);

        var resent = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest([ingest.DocumentId!], null, null, null, Resend: true), Caller.ForAll("anna"), default);
        await _harness.RunExportJobsAsync();
        Assert.Equal(RunStatus.Running, (await _harness.Export.GetRunAsync(CoreHarness.DossierId, resent.RunId, Caller.ForAll("anna"), default)).Status);
        await _harness.DrainQueueAsync();

        Assert.Equal(2, _harness.Connector.Booked.Count);
        var run = await _harness.Export.GetRunAsync(CoreHarness.DossierId, resent.RunId, Caller.ForAll("anna"), default);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(1, run.SucceededDocuments);
        Assert.Contains(_harness.Ports.History, h => h.Event == HistoryEvent.Resent && h.Actor == "anna");
    }

    [Fact]
    public async Task A_date_range_export_takes_the_documents_received_in_it()
    {
        await _harness.SeedAsync();
        _harness.Connector.FailTransiently(0);
        await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "i.xml", CoreHarness.Sample("demo-invoice.xml")), default);
        _harness.Clock.Advance(TimeSpan.FromDays(3));
        await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "c.cod", CoreHarness.Sample("demo.cod")), default);
        _harness.Ports.Queued.Clear();

        var start = _harness.Clock.GetUtcNow().AddDays(-1);
        var started = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, start, start.AddDays(2), null, Resend: true), Caller.System, default);
        await _harness.RunExportJobsAsync();

        Assert.Equal(1, (await _harness.Export.GetRunAsync(CoreHarness.DossierId, started.RunId, Caller.System, default)).TotalDocuments);
        Assert.Single(_harness.Ports.Queued);
    }

    [Fact]
    public async Task The_export_answers_with_a_queued_run_before_any_delivery_is_queued()
    {
        await _harness.SeedAsync();
        await AddDocumentsAsync(30);
        _harness.Ports.Queued.Clear();

        var run = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, Monday, Monday.AddDays(7), null, Resend: true), Caller.ForAll("anna"), default);

        Assert.Equal(RunStatus.Queued, run.Status);
        Assert.Empty(_harness.Ports.Queued);
        Assert.Equal(run.RunId, Assert.Single(_harness.Ports.ExportJobs).RunId);

        await _harness.RunExportJobsAsync();
        Assert.Equal(30, _harness.Ports.Queued.Count);
    }

    [Fact]
    public async Task A_job_killed_halfway_and_run_again_delivers_each_document_once_and_closes_the_run_with_exact_counts()
    {
        await _harness.SeedAsync();
        var ids = await AddDocumentsAsync(25);
        var run = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, Monday, Monday.AddDays(7), null, Resend: false), Caller.ForAll("anna"), default);
        var job = Assert.Single(_harness.Ports.ExportJobs);

        // Killed after 13 deliveries were queued: in the second page of 10.
        using var kill = new CancellationTokenSource();
        _harness.Ports.AfterEnqueue = _ =>
        {
            if (_harness.Ports.Queued.Count == 13)
            {
                kill.Cancel();
            }
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _harness.Export.RunJobAsync(job, attempt: 1, kill.Token));
        _harness.Ports.AfterEnqueue = null;
        var sentBeforeTheKill = _harness.Ports.Queued.Select(q => q.Request.DeliveryId).ToList();
        Assert.Equal(13, sentBeforeTheKill.Count);

        // Those 13 are delivered while the job is down: the run must not close on them.
        await _harness.DrainQueueAsync();
        var halfway = await _harness.Export.GetRunAsync(CoreHarness.DossierId, run.RunId, Caller.ForAll("anna"), default);
        Assert.Equal(RunStatus.Queued, halfway.Status);
        Assert.Equal(10, halfway.TotalDocuments);

        // The message comes back: the job goes on from its last stored page and queues only what was not queued.
        await _harness.Export.RunJobAsync(job, attempt: 2, default);
        var sentAfter = _harness.Ports.Queued.Select(q => q.Request.DeliveryId).ToList();
        Assert.Equal(12, sentAfter.Count);
        Assert.Empty(sentAfter.Intersect(sentBeforeTheKill));
        await _harness.DrainQueueAsync();

        var booked = _harness.Connector.Booked.Select(b => b.DocumentId).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), booked.Order(StringComparer.Ordinal));
        var closed = await _harness.Export.GetRunAsync(CoreHarness.DossierId, run.RunId, Caller.ForAll("anna"), default);
        Assert.Equal(RunStatus.Succeeded, closed.Status);
        Assert.Equal((25, 25, 0, 0), (closed.TotalDocuments, closed.SucceededDocuments, closed.FailedDocuments, closed.SkippedDocuments));
        Assert.NotNull(closed.EndedAt);
    }

    [Fact]
    public async Task A_crash_between_saving_the_run_and_queuing_its_job_is_caught_by_the_watchdog_and_the_export_still_completes()
    {
        await _harness.SeedAsync();
        var ids = await AddDocumentsAsync(12);
        _harness.Ports.FailNextExportJob = new OperationCanceledException("killed");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, Monday, Monday.AddDays(7), null, Resend: true), Caller.ForAll("anna"), default));
        var orphan = Assert.Single(_harness.Ports.Runs);
        Assert.Equal(RunStatus.Queued, orphan.Status);
        Assert.Empty(_harness.Ports.ExportJobs);

        // Later, the watchdog queued before the run was saved comes into view and queues the job again.
        var (watchdog, delay) = Assert.Single(_harness.Ports.DelayedExportJobs);
        Assert.Equal(_harness.ExportOptions.WatchdogDelay, delay);
        await _harness.Export.RunJobAsync(watchdog, attempt: 1, default);
        await _harness.RunExportJobsAsync();
        await _harness.DrainQueueAsync();

        Assert.Equal(ids.Order(StringComparer.Ordinal), _harness.Connector.Booked.Select(b => b.DocumentId).Order(StringComparer.Ordinal));
        var closed = await _harness.Export.GetRunAsync(CoreHarness.DossierId, orphan.RunId, Caller.ForAll("anna"), default);
        Assert.Equal((RunStatus.Succeeded, 12, 12), (closed.Status, closed.TotalDocuments, closed.SucceededDocuments));
    }

    [Fact]
    public async Task The_watchdog_leaves_a_job_that_is_under_way_or_done_alone()
    {
        await _harness.SeedAsync();
        await AddDocumentsAsync(25);
        _harness.ExportOptions.SliceDuration = TimeSpan.Zero; // every page ends a slice
        await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, Monday, Monday.AddDays(7), null, Resend: true), Caller.ForAll("anna"), default);
        var (watchdog, _) = Assert.Single(_harness.Ports.DelayedExportJobs);

        var first = _harness.Ports.ExportJobs[0];
        _harness.Ports.ExportJobs.Clear();
        await _harness.Export.RunJobAsync(first, attempt: 1, default);
        var continuation = Assert.Single(_harness.Ports.ExportJobs);
        _harness.Ports.ExportJobs.Clear();

        await _harness.Export.RunJobAsync(watchdog, attempt: 1, default);
        Assert.Empty(_harness.Ports.ExportJobs);

        _harness.Ports.ExportJobs.Add(continuation);
        await _harness.RunExportJobsAsync();
        await _harness.Export.RunJobAsync(watchdog, attempt: 1, default);
        Assert.Empty(_harness.Ports.ExportJobs);
        Assert.Equal(25, _harness.Ports.Queued.Count);
    }

    [Fact]
    public async Task A_watchdog_whose_run_was_never_saved_does_nothing()
    {
        await _harness.SeedAsync();
        await AddDocumentsAsync(3);
        var lost = new ExportJob { DossierId = CoreHarness.DossierId, RunId = "run-never-saved", ConnectionIds = ["c1"], From = Monday, To = Monday.AddDays(1), Watchdog = true };

        await _harness.Export.RunJobAsync(lost, attempt: 1, default);

        Assert.Empty(_harness.Ports.ExportJobs);
        Assert.Empty(_harness.Ports.Queued);
        Assert.Empty(_harness.Ports.Runs);
    }

    [Fact]
    public async Task Two_copies_of_a_job_at_work_at_once_queue_each_delivery_once_and_the_one_that_loses_lets_go_without_failing()
    {
        await _harness.SeedAsync();
        var ids = await AddDocumentsAsync(25);
        var run = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, Monday, Monday.AddDays(7), null, Resend: true), Caller.ForAll("anna"), default);
        var job = _harness.Ports.ExportJobs[0];
        _harness.Ports.ExportJobs.Clear();

        // While the first copy is in its first page, a second copy does the whole job.
        var secondRan = false;
        _harness.Ports.AfterEnqueue = _ =>
        {
            if (!secondRan && _harness.Ports.Queued.Count == 5)
            {
                secondRan = true;
                _harness.Export.RunJobAsync(job, attempt: 1, default).GetAwaiter().GetResult();
            }
        };
        await _harness.Export.RunJobAsync(job, attempt: 1, default);
        _harness.Ports.AfterEnqueue = null;

        Assert.True(secondRan);
        Assert.Equal(25, _harness.Ports.Queued.Select(q => q.Request.DeliveryId).Distinct(StringComparer.Ordinal).Count());
        await _harness.DrainQueueAsync();
        Assert.Equal(ids.Order(StringComparer.Ordinal), _harness.Connector.Booked.Select(b => b.DocumentId).Order(StringComparer.Ordinal));
        var closed = await _harness.Export.GetRunAsync(CoreHarness.DossierId, run.RunId, Caller.ForAll("anna"), default);
        Assert.Equal((RunStatus.Succeeded, 25, 25), (closed.Status, closed.TotalDocuments, closed.SucceededDocuments));
    }

    [Fact]
    public async Task A_job_whose_slice_is_used_up_queues_its_own_continuation_and_goes_on_from_there()
    {
        await _harness.SeedAsync();
        await AddDocumentsAsync(25);
        _harness.ExportOptions.SliceDuration = TimeSpan.Zero; // every page ends a slice
        var run = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, Monday, Monday.AddDays(7), null, Resend: false), Caller.ForAll("anna"), default);

        var pickUps = 0;
        while (_harness.Ports.ExportJobs.Count > 0)
        {
            var job = _harness.Ports.ExportJobs[0];
            _harness.Ports.ExportJobs.RemoveAt(0);
            await _harness.Export.RunJobAsync(job, attempt: 1, default);
            pickUps++;
        }

        Assert.Equal(3, pickUps);
        Assert.Equal(25, _harness.Ports.Queued.Select(q => q.Request.DeliveryId).Distinct().Count());
        Assert.Equal(25, _harness.Ports.Queued.Count);
        await _harness.DrainQueueAsync();
        var ended = await _harness.Export.GetRunAsync(CoreHarness.DossierId, run.RunId, Caller.ForAll("anna"), default);
        Assert.Equal((RunStatus.Succeeded, 25, 25), (ended.Status, ended.TotalDocuments, ended.SucceededDocuments));
    }

    [Fact]
    public async Task A_job_that_keeps_failing_stops_queuing_and_its_run_still_ends_with_what_was_queued()
    {
        await _harness.SeedAsync();
        await AddDocumentsAsync(25);
        var run = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, Monday, Monday.AddDays(7), null, Resend: false), Caller.ForAll("anna"), default);
        var job = Assert.Single(_harness.Ports.ExportJobs);
        using var kill = new CancellationTokenSource();
        _harness.Ports.AfterEnqueue = _ =>
        {
            if (_harness.Ports.Queued.Count == 10)
            {
                kill.Cancel();
            }
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _harness.Export.RunJobAsync(job, attempt: 1, kill.Token));
        _harness.Ports.AfterEnqueue = null;

        await _harness.Export.RunJobAsync(job, attempt: _harness.ExportOptions.MaxJobAttempts, default);
        await _harness.DrainQueueAsync();

        var ended = await _harness.Export.GetRunAsync(CoreHarness.DossierId, run.RunId, Caller.ForAll("anna"), default);
        Assert.Equal(RunStatus.Succeeded, ended.Status);
        Assert.Equal((10, 10), (ended.TotalDocuments, ended.SucceededDocuments));
    }

    [Fact]
    public async Task An_export_of_an_empty_range_ends_at_once()
    {
        await _harness.SeedAsync();
        var run = await _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, Monday, Monday.AddDays(1), null, Resend: false), Caller.System, default);
        await _harness.RunExportJobsAsync();

        var ended = await _harness.Export.GetRunAsync(CoreHarness.DossierId, run.RunId, Caller.System, default);
        Assert.Equal(RunStatus.Succeeded, ended.Status);
        Assert.Equal(0, ended.TotalDocuments);
    }

    [Fact]
    public async Task An_export_naming_too_many_documents_is_refused_naming_the_field()
    {
        await _harness.SeedAsync();
        var ids = Enumerable.Range(0, _harness.ExportOptions.MaxDocumentIds + 1).Select(i => $"doc{i}").ToList();

        var error = await Assert.ThrowsAsync<RequestValidationException>(() =>
            _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(ids, null, null, null, false), Caller.System, default));
        Assert.True(error.Errors.ContainsKey("documentIds"));
    }

    private static readonly DateTimeOffset Monday = new(2026, 10, 26, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Purchase invoices received on Monday, straight into the document store.</summary>
    private async Task<List<string>> AddDocumentsAsync(int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var id = $"doc{i:D4}";
            ids.Add(id);
            await ((IDocumentRepository)_harness.Ports).TryAddAsync(
                new DocumentRecord
                {
                    DossierId = CoreHarness.DossierId,
                    Id = id,
                    FileName = $"inv-{i}.xml",
                    Format = Koppel.Formats.Sniffing.DocumentFormat.UblInvoice,
                    Kind = DocumentKind.PurchaseInvoice,
                    Size = 100,
                    Source = "test",
                    ReceivedAt = Monday.AddMinutes(i),
                },
                default);
        }

        return ids;
    }

    [Fact]
    public async Task An_export_for_a_dossier_the_caller_may_not_see_is_refused()
    {
        await _harness.SeedAsync();
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(["x"], null, null, null, false), Caller.ForDossiers("other-firm", ["0876543270"]), default));
    }

    [Fact]
    public async Task An_export_names_either_documents_or_a_range()
    {
        await _harness.SeedAsync();
        var error = await Assert.ThrowsAsync<RequestValidationException>(() =>
            _harness.Export.StartAsync(CoreHarness.DossierId, new ExportRequest(null, null, null, null, false), Caller.System, default));
        Assert.True(error.Errors.ContainsKey("documentIds"));
    }
}
