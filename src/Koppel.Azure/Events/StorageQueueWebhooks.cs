using Azure.Storage.Queues;
using Koppel.Azure.Queues;
using Koppel.Core.Events;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Events;

/// <summary>
/// Webhook posts on their own storage queue, one message per event and webhook; a retry is a new message sent with a
/// delay. The self-hosted server receives them here, the Functions app with a queue trigger on the same queue.
/// </summary>
public sealed class StorageQueueWebhooks(QueueClient queue, QueueClient poisonQueue, ILogger<StorageQueueWebhooks> logger)
    : StorageQueueJobs<WebhookDelivery>(queue, poisonQueue, logger, "a webhook delivery"), IWebhookQueue
{
    public Task EnqueueAsync(WebhookDelivery delivery, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendAsync(delivery, delay, cancellationToken);

    protected override BinaryData Serialize(WebhookDelivery job) => WebhookJson.Serialize(job);

    protected override WebhookDelivery? TryDeserialize(BinaryData body) => WebhookJson.TryDeserialize(body);
}
