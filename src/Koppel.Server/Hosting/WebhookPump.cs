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

    protected override Task HandleAsync(ReceivedJob<WebhookDelivery> work, CancellationToken stoppingToken) =>
        handler.HandleAsync(work.Job, stoppingToken);

    protected override string Describe(WebhookDelivery job) =>
        $"Webhook post of event {job.Event.Id} to {job.SubscriptionId}";
}
