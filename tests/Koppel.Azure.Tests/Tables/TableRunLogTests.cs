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
    public async Task The_latest_runs_come_first_and_the_list_stops_at_the_maximum()
    {
        // Run ids that sort newest first, as Core makes them: inverted ticks.
        for (var minute = 0; minute < 5; minute++)
        {
            var started = new DateTimeOffset(2026, 11, 22, 9, minute, 0, TimeSpan.Zero);
            await _runLog.AddAsync(Run(RunIdFor(started), started), default);
        }

        var latest = await _runLog.ListAsync("0123456749", 3, default).ToListAsync();

        Assert.Equal([4, 3, 2], latest.Select(r => r.StartedAt.Minute));
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

    private static string RunIdFor(DateTimeOffset started) =>
        (DateTimeOffset.MaxValue.UtcTicks - started.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    private static RunLogEntry Run(string runId, DateTimeOffset started) =>
        new() { DossierId = "0123456749", RunId = runId, Category = RunCategory.Delivery, Provider = "sftp", StartedAt = started };
}
