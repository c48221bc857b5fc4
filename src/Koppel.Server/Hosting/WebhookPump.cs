using Koppel.Azure.Events;
using Koppel.Core.Events;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for the Functions webhook trigger: takes webhook posts from their queue, a few at a time,
/// and posts them. A post that throws (storage outage) stays on the queue and comes back after the visibility timeout;
/// a receiver that fails is the handler's business (back-off, dead letter). No failure stops this loop.
/// </summary>
public sealed class WebhookPump(StorageQueueWebhooks queue, WebhookDeliveryHandler handler, IOptions<ServerOptions> options, ILogger<WebhookPump> logger) : BackgroundService
{
    private const int Batch = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var received = await queue.ReceiveAsync(Batch, settings.QueueVisibilityTimeout, stoppingToken);
                if (received.Count == 0)
                {
                    await Task.Delay(settings.QueuePollInterval, stoppingToken);
                    continue;
                }

                // One slow receiver must not hold up the others: the batch is posted side by side.
                await Task.WhenAll(received.Select(work => PostAsync(work, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Could not read the webhook queue");
                await Task.Delay(settings.QueuePollInterval * 5, stoppingToken);
            }
        }
    }

    private async Task PostAsync(ReceivedWebhookDelivery work, CancellationToken stoppingToken)
    {
        try
        {
            await handler.HandleAsync(work.Delivery, stoppingToken);
            await work.CompleteAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Webhook post of event {EventId} to {SubscriptionId} failed on pick-up {Attempt}; it is picked up again", work.Delivery.Event.Id, work.Delivery.SubscriptionId, work.DequeueCount);
        }
    }
}
