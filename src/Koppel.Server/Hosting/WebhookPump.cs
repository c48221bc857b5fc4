using Koppel.Azure.Events;
using Koppel.Azure.Queues;
using Koppel.Core.Events;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for the Functions webhook trigger: takes webhook posts from their queue, a few at a time,
/// and posts them side by side, so one slow receiver does not hold up the others. A post that throws (storage outage)
/// stays on the queue and comes back after the visibility timeout; a receiver that fails is the handler's business
/// (back-off, dead letter).
/// </summary>
public sealed class WebhookPump(StorageQueueWebhooks queue, WebhookDeliveryHandler handler, IOptions<ServerOptions> options, ILogger<WebhookPump> logger)
    : JobQueuePump<WebhookDelivery>(queue, options, logger)
{
    protected override int BatchSize => 8;

    protected override bool RunsSideBySide => true;

    protected override async Task RunAsync(ReceivedJob<WebhookDelivery> work, CancellationToken stoppingToken)
    {
        try
        {
            await handler.HandleAsync(work.Job, stoppingToken);
            await work.CompleteAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Webhook post of event {EventId} to {SubscriptionId} failed on pick-up {Attempt}; it is picked up again", work.Job.Event.Id, work.Job.SubscriptionId, work.DequeueCount);
        }
    }
}
