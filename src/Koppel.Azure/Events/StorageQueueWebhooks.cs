using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Koppel.Azure.Queues;
using Koppel.Core.Events;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Events;

/// <summary>A webhook post taken from the queue; complete it once the handler is done with it.</summary>
public sealed record ReceivedWebhookDelivery(WebhookDelivery Delivery, int DequeueCount, Func<CancellationToken, Task> CompleteAsync);

/// <summary>
/// Webhook posts on their own storage queue, one message per event and webhook; a retry is a new message sent with a
/// delay. The self-hosted server receives them here, the Functions app with a queue trigger on the same queue.
/// </summary>
public sealed class StorageQueueWebhooks : IWebhookQueue
{
    private readonly PoisoningQueue _queue;

    public StorageQueueWebhooks(QueueClient queue, QueueClient poisonQueue, ILogger<StorageQueueWebhooks> logger)
    {
        _queue = new PoisoningQueue(queue, poisonQueue, logger);
    }

    public Task EnqueueAsync(WebhookDelivery delivery, TimeSpan? delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return _queue.SendAsync(WebhookJson.Serialize(delivery), cancellationToken, delay);
    }

    public async Task<IReadOnlyList<ReceivedWebhookDelivery>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var received = await _queue.ReceiveAsync(Math.Max(1, maxMessages), visibilityTimeout, WebhookJson.TryDeserialize, "a webhook delivery", cancellationToken);
        return received.Select(r => new ReceivedWebhookDelivery(r.Body, (int)r.Message.DequeueCount, ct => CompleteAsync(r.Message, ct))).ToList();
    }

    private async Task CompleteAsync(QueueMessage message, CancellationToken cancellationToken) =>
        await _queue.TryDeleteAsync(message, cancellationToken);
}
