using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Queues;
using Koppel.Azure.Queues;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Payments;
using Koppel.Server.Hosting;
using Koppel.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Tests.Hosting;

/// <summary>The job queues' pump against a real queue: asks an idle queue rarely, yet takes this process's jobs at once.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JobQueuePumpTests(AzuriteFixture azurite)
{
    [Fact]
    public void An_idle_queue_is_asked_half_as_often_after_each_empty_answer_up_to_the_limit()
    {
        var settings = new ServerOptions { QueuePollInterval = TimeSpan.FromSeconds(1), IdleQueuePollLimit = TimeSpan.FromSeconds(10) };
        var waits = new List<double>();
        var wait = settings.QueuePollInterval;
        for (var i = 0; i < 6; i++)
        {
            wait = IdleQueueWait.Next(wait, settings);
            waits.Add(wait.TotalSeconds);
        }

        Assert.Equal([2, 4, 8, 10, 10, 10], waits);
    }

    [Fact]
    public void A_limit_below_the_poll_interval_keeps_the_poll_interval()
    {
        var settings = new ServerOptions { QueuePollInterval = TimeSpan.FromSeconds(2), IdleQueuePollLimit = TimeSpan.FromSeconds(1) };

        Assert.Equal(TimeSpan.FromSeconds(2), IdleQueueWait.Next(TimeSpan.FromSeconds(2), settings));
    }

    [Fact]
    public async Task An_idle_pump_asks_storage_rarely_and_still_takes_a_job_sent_by_this_process_at_once()
    {
        var receives = new ReceiveCounter();
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        options.AddPolicy(receives, HttpPipelinePosition.PerCall);
        var name = "pumptest" + Guid.NewGuid().ToString("N")[..12];
        var queue = new QueueClient(azurite.ConnectionString, name, options);
        var poison = new QueueClient(azurite.ConnectionString, name + "-poison", options);
        var jobs = new StorageQueuePollJobs(queue, poison, NullLogger<StorageQueuePollJobs>.Instance);
        var settings = Options.Create(new ServerOptions
        {
            QueuePollInterval = TimeSpan.FromMilliseconds(100),
            IdleQueuePollLimit = TimeSpan.FromMinutes(1),
        });
        var pump = new RecordingPump(jobs, settings);
        try
        {
            await pump.StartAsync(CancellationToken.None);

            // Over three idle seconds a fixed 100 ms poll would ask about 30 times; doubling waits ask 5 (0.1+0.2+0.4+0.8+1.6 s).
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.InRange(receives.Count, 1, 8);

            // The pump now waits up to a minute between asks, but a job sent here wakes it.
            await jobs.EnqueueAsync(new PollJob { DossierId = "0403170701", ConnectionId = "c1", Slot = "07:00" }, CancellationToken.None);
            await Eventually.HoldsAsync(() => Task.FromResult(pump.Ran.Count == 1), TimeSpan.FromSeconds(20), "the job is run long before the minute is up");
            Assert.Equal("c1", Assert.Single(pump.Ran).ConnectionId);
        }
        finally
        {
            await pump.StopAsync(CancellationToken.None);
            await queue.DeleteIfExistsAsync();
            await poison.DeleteIfExistsAsync();
        }
    }

    [Fact]
    public async Task A_job_that_keeps_failing_is_dropped_after_its_last_attempt_and_the_log_says_what_happens_instead()
    {
        var name = "pumpfail" + Guid.NewGuid().ToString("N")[..12];
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var queue = new QueueClient(azurite.ConnectionString, name, options);
        var poison = new QueueClient(azurite.ConnectionString, name + "-poison", options);
        var jobs = new StorageQueuePollJobs(queue, poison, NullLogger<StorageQueuePollJobs>.Instance);
        var logs = new CapturedLogs();
        var settings = Options.Create(new ServerOptions
        {
            QueuePollInterval = TimeSpan.FromMilliseconds(100),
            IdleQueuePollLimit = TimeSpan.FromMilliseconds(200),
            QueueVisibilityTimeout = TimeSpan.FromSeconds(1),
        });
        var pump = new FailingPump(jobs, settings, logs.CreateLogger("pump"));
        try
        {
            await pump.StartAsync(CancellationToken.None);
            await jobs.EnqueueAsync(new PollJob { DossierId = "0403170701", ConnectionId = "c9", Slot = "07:00" }, CancellationToken.None);

            await Eventually.HoldsAsync(() => Task.FromResult(logs.Lines.Any(l => l.Contains("dropped", StringComparison.Ordinal))), TimeSpan.FromSeconds(30), "the third pick-up drops the job");

            Assert.Equal(2, pump.Attempts);
            Assert.Equal(2, logs.Lines.Count(l => l.Contains("Poll of c9 failed on pick-up", StringComparison.Ordinal)));
            Assert.Contains(logs.Lines, l => l.Contains("Poll of c9 failed 2 times; dropped, the next slot polls again", StringComparison.Ordinal));
            await Eventually.HoldsAsync(async () => (await queue.PeekMessagesAsync()).Value.Length == 0, TimeSpan.FromSeconds(10), "the dropped job is gone from the queue");
        }
        finally
        {
            await pump.StopAsync(CancellationToken.None);
            await queue.DeleteIfExistsAsync();
            await poison.DeleteIfExistsAsync();
        }
    }

    private sealed class FailingPump(StorageQueuePollJobs queue, IOptions<ServerOptions> options, Microsoft.Extensions.Logging.ILogger logger)
        : JobQueuePump<PollJob>(queue, options, logger)
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        protected override int BatchSize => 1;

        protected override int? MaxAttempts => 2;

        protected override string WhenDropped => "the next slot polls again";

        protected override Task HandleAsync(ReceivedJob<PollJob> work, CancellationToken stoppingToken)
        {
            Interlocked.Increment(ref _attempts);
            throw new InvalidOperationException("the provider is down");
        }

        protected override string Describe(PollJob job) => $"Poll of {job.ConnectionId}";
    }

    private sealed class RecordingPump(StorageQueuePollJobs queue, IOptions<ServerOptions> options)
        : JobQueuePump<PollJob>(queue, options, NullLogger.Instance)
    {
        public ConcurrentQueue<PollJob> Ran { get; } = new();

        protected override int BatchSize => 4;

        protected override Task HandleAsync(ReceivedJob<PollJob> work, CancellationToken stoppingToken)
        {
            Ran.Enqueue(work.Job);
            return Task.CompletedTask;
        }

        protected override string Describe(PollJob job) => $"Poll of {job.ConnectionId}";
    }

    /// <summary>Counts receive calls (GET on the queue's messages) as they leave the client.</summary>
    private sealed class ReceiveCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get && message.Request.Uri.Path.EndsWith("/messages", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
