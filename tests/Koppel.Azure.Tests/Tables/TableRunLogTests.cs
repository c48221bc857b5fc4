using System.Globalization;
using Koppel.Azure.Tables;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableRunLogTests : IAsyncLifetime
{
    private readonly TestStorage _storage;
    private readonly TableRunLog _runLog;

    public TableRunLogTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _runLog = new TableRunLog(_storage.Clients.Table(_storage.Names.RunLogTable));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task The_latest_runs_come_first_and_a_page_stops_at_its_size()
    {
        // Run ids that sort newest first, as Core makes them: inverted ticks.
        for (var minute = 0; minute < 5; minute++)
        {
            var started = new DateTimeOffset(2026, 11, 22, 9, minute, 0, TimeSpan.Zero);
            await _runLog.AddAsync(Run(RunIdFor(started), started), default);
        }

        var latest = await _runLog.ListPageAsync("0123456749", new PageRequest(3), default);

        Assert.Equal([4, 3, 2], latest.Items.Select(r => r.StartedAt.Minute));
        Assert.NotNull(latest.ContinuationToken);
    }

    [Fact]
    public async Task Two_hundred_and_fifty_runs_come_in_pages_of_100_100_and_50_without_gaps_or_duplicates()
    {
        var start = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        var expected = new List<string>();
        for (var i = 0; i < 250; i++)
        {
            var started = start.AddSeconds(i);
            expected.Add(RunIdFor(started));
            await _runLog.AddAsync(Run(RunIdFor(started), started), default);
        }

        // Another dossier's runs in the same table are never part of the list.
        await _runLog.AddAsync(Run(RunIdFor(start), start) with { DossierId = "0200065765" }, default);

        var pages = new List<Page<RunLogEntry>>();
        string? token = null;
        do
        {
            var page = await _runLog.ListPageAsync("0123456749", new PageRequest(100, token), default);
            pages.Add(page);
            token = page.ContinuationToken;
        }
        while (token is not null && pages.Count < 10);

        Assert.Equal([100, 100, 50], pages.Select(p => p.Items.Count));
        Assert.Null(pages[^1].ContinuationToken);
        var listed = pages.SelectMany(p => p.Items).ToList();
        Assert.All(listed, r => Assert.Equal("0123456749", r.DossierId));
        Assert.Equal(expected.Order(StringComparer.Ordinal), listed.Select(r => r.RunId));
    }

    [Fact]
    public async Task A_continuation_token_from_another_dossier_reads_nothing_of_that_dossier()
    {
        var start = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 3; i++)
        {
            await _runLog.AddAsync(Run(RunIdFor(start.AddSeconds(i)), start.AddSeconds(i)) with { DossierId = "0200065765" }, default);
        }

        var theirs = await _runLog.ListPageAsync("0200065765", new PageRequest(1), default);
        var mine = await _runLog.ListPageAsync("0123456749", new PageRequest(100, theirs.ContinuationToken), default);

        Assert.NotNull(theirs.ContinuationToken);
        Assert.DoesNotContain(mine.Items, r => r.DossierId == "0200065765");
    }

    [Fact]
    public async Task An_export_still_being_queued_keeps_its_status_and_where_its_job_got_to()
    {
        var started = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        await _runLog.AddAsync(Run("run1", started) with { Status = RunStatus.Queued, JobCursor = "1!8!ZG9jMDAwOQ--", TotalDocuments = 10 }, default);

        var stored = await _runLog.GetAsync("0123456749", "run1", default);

        Assert.Equal((RunStatus.Queued, "1!8!ZG9jMDAwOQ--", 10), (stored!.Status, stored.JobCursor, stored.TotalDocuments));
    }

    [Fact]
    public async Task A_finished_run_is_saved_and_a_stale_copy_cannot_overwrite_it()
    {
        var started = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        await _runLog.AddAsync(Run("run1", started), default);
        var running = (await _runLog.GetAsync("0123456749", "run1", default))!;

        var finished = await _runLog.ReplaceAsync(
            running with { Status = RunStatus.PartiallySucceeded, EndedAt = started.AddMinutes(1), TotalDocuments = 3, FailedDocuments = 1 }, default);

        Assert.Equal(finished, await _runLog.GetAsync("0123456749", "run1", default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _runLog.ReplaceAsync(running with { ResultText = "stale" }, default));
    }

    [Fact]
    public async Task Adding_the_same_run_again_is_harmless_but_another_run_under_its_id_is_refused()
    {
        // What the SDK does when an insert's answer is lost: it sends the same insert again.
        var started = new DateTimeOffset(2026, 12, 1, 9, 0, 0, 123, TimeSpan.Zero);
        await _runLog.AddAsync(Run("run1", started) with { ResultText = "3 documents" }, default);
        await _runLog.AddAsync(Run("run1", started) with { ResultText = "3 documents" }, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _runLog.AddAsync(Run("run1", started) with { ResultText = "another run" }, default));
        Assert.Equal("3 documents", (await _runLog.GetAsync("0123456749", "run1", default))!.ResultText);
    }

    private static string RunIdFor(DateTimeOffset started) =>
        (DateTimeOffset.MaxValue.UtcTicks - started.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static RunLogEntry Run(string runId, DateTimeOffset started) =>
        new() { DossierId = "0123456749", RunId = runId, Category = RunCategory.Delivery, Provider = "sftp", StartedAt = started };
}
