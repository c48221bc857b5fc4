using System.Diagnostics;
using Koppel.Core.Delivery;
using Koppel.Core.Ports;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for the Service Bus trigger: takes delivery messages from the queue, runs the
/// handler and settles each message as the outcome says. Retries go back on the queue hidden for the delay.
/// Dead letters are completed here: the ledger holds the dead-lettered state and its reason, which the API shows.
/// </summary>
public sealed class DeliveryPump(IWorkQueueReceiver receiver, DeliveryHandler handler, IOptions<ServerOptions> options, ILogger<DeliveryPump> logger) : BackgroundService
{
    private static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var capacity = Math.Clamp(settings.DeliveryConcurrency, 1, 32);

        // A slot per delivery in progress: a slow SFTP upload holds one slot, not the whole batch it came with.
        using var slots = new SemaphoreSlim(capacity, capacity);
        var running = new List<Task>();
        try
        {
            await PumpAsync(settings, capacity, slots, running, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }

        // Let deliveries in progress finish their settlement; what does not finish reappears after its visibility timeout.
        await Task.WhenAll(running);
    }

    private async Task PumpAsync(ServerOptions settings, int capacity, SemaphoreSlim slots, List<Task> running, CancellationToken stoppingToken)
    {
        var backlog = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            await slots.WaitAsync(stoppingToken);
            var free = 1;
            while (free < capacity && slots.Wait(0, CancellationToken.None))
            {
                free++;
            }

            // With a backlog, wait a moment for half the slots to be free and receive them in one call, instead of one
            // receive per finished delivery; without one, take what comes at once.
            var gathering = Stopwatch.StartNew();
            while (backlog && free < capacity / 2 && gathering.Elapsed < GatherWindow
                && await slots.WaitAsync(GatherWindow - gathering.Elapsed, stoppingToken))
            {
                free++;
            }

            IReadOnlyList<IReceivedWork> batch;
            try
            {
                batch = await receiver.ReceiveAsync(free, settings.QueueVisibilityTimeout, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                slots.Release(free);
                logger.LogError(ex, "Could not read the delivery queue");
                await Task.Delay(settings.QueuePollInterval * 5, stoppingToken);
                continue;
            }

            backlog = batch.Count == free;
            if (batch.Count < free)
            {
                slots.Release(free - batch.Count);
            }

            if (batch.Count == 0)
            {
                await Task.Delay(settings.QueuePollInterval, stoppingToken);
                continue;
            }

            running.RemoveAll(t => t.IsCompleted);
            running.AddRange(batch.Select(work => RunInSlotAsync(work, slots, stoppingToken)));
        }
    }

    private async Task RunInSlotAsync(IReceivedWork work, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await HandleAsync(work, stoppingToken);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task HandleAsync(IReceivedWork work, CancellationToken stoppingToken)
    {
        try
        {
            var outcome = await handler.HandleAsync(work.Request, stoppingToken);
            switch (outcome.Kind)
            {
                case DeliveryOutcomeKind.Retry:
                    await work.AbandonAsync(outcome.RetryAfter, stoppingToken);
                    break;
                case DeliveryOutcomeKind.DeadLetter:
                    logger.LogWarning("Delivery {DeliveryId} dead-lettered: {Reason}", work.Request.DeliveryId, outcome.Reason);
                    await work.CompleteAsync(stoppingToken);
                    break;
                default:
                    await work.CompleteAsync(stoppingToken);
                    break;
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The ledger claim expires and the message reappears after its visibility timeout: nothing is lost.
            logger.LogError(ex, "Delivery {DeliveryId} failed unexpectedly; it will be retried", work.Request.DeliveryId);
        }
    }
}
