using Azure.Storage.Queues;
using Koppel.Azure.Queues;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Export;
using Microsoft.Extensions.Logging.Abstractions;

namespace Koppel.Azure.Tests.Queues;

[Collection(AzuriteCollection.Name)]
public sealed class StorageQueueExportJobsTests : IAsyncLifetime
{
    private readonly TestStorage _storage;
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly StorageQueueExportJobs _jobs;

    public StorageQueueExportJobsTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _queue = _storage.Clients.Queue(_storage.Names.ExportQueue);
        _poison = _storage.Clients.Queue(_storage.Names.ExportPoisonQueue);
        _jobs = new StorageQueueExportJobs(_queue, _poison, NullLogger<StorageQueueExportJobs>.Instance);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_job_comes_back_whole_and_again_until_it_is_completed()
    {
        var job = new ExportJob
        {
            DossierId = "0123456749",
            RunId = "r1",
            From = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero),
            To = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero),
            ConnectionIds = ["c1", "c2"],
            Resend = true,
            Actor = "anna",
        };
        await _jobs.EnqueueAsync(job, delay: null, default);

        var first = Assert.Single(await _jobs.ReceiveAsync(1, TimeSpan.FromSeconds(1), default));
        Assert.Equal((job.RunId, job.From, job.To, job.Resend, job.Actor), (first.Job.RunId, first.Job.From, first.Job.To, first.Job.Resend, first.Job.Actor));
        Assert.Equal(["c1", "c2"], first.Job.ConnectionIds);
        Assert.Equal(1, first.DequeueCount);

        // Not completed (the worker died): it is handed out again after its visibility timeout, counted.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var again = Assert.Single(await _jobs.ReceiveAsync(1, TimeSpan.FromSeconds(30), default));
        Assert.Equal(2, again.DequeueCount);
        await again.CompleteAsync(default);
        Assert.Empty((await _queue.PeekMessagesAsync(32)).Value);
    }

    [Fact]
    public async Task A_watchdog_stays_out_of_sight_until_its_delay_is_over_and_keeps_its_mark()
    {
        await _jobs.EnqueueAsync(new ExportJob { DossierId = "0123456749", RunId = "r1", ConnectionIds = ["c1"], Watchdog = true }, TimeSpan.FromSeconds(2), default);

        Assert.Empty(await _jobs.ReceiveAsync(1, TimeSpan.FromSeconds(30), default));
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var seen = Assert.Single(await _jobs.ReceiveAsync(1, TimeSpan.FromSeconds(30), default));
        Assert.True(seen.Job.Watchdog);
    }

    [Fact]
    public async Task A_message_that_is_no_export_job_goes_to_the_poison_queue()
    {
        await _jobs.EnqueueAsync(new ExportJob { DossierId = "0123456749", RunId = "r1", ConnectionIds = [] }, delay: null, default);
        await _queue.SendMessageAsync(BinaryData.FromString("not json"));

        var received = await _jobs.ReceiveAsync(10, TimeSpan.FromSeconds(30), default);

        Assert.Single(received);
        Assert.Single((await _poison.PeekMessagesAsync(32)).Value);
    }
}
