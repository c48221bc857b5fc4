using Azure.Storage.Queues;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Queues;

/// <summary>
/// Pulls delivery work from the storage queue. A message that is not a delivery request can never succeed, so it
/// is moved to the poison queue at once instead of coming back forever.
/// </summary>
public sealed class StorageQueueReceiver : IWorkQueueReceiver
{
    private readonly PoisoningQueue _queue;
    private readonly ILogger<StorageQueueReceiver> _logger;

    public StorageQueueReceiver(QueueClient queue, QueueClient poisonQueue, ILogger<StorageQueueReceiver> logger)
    {
        _queue = new PoisoningQueue(queue, poisonQueue, logger);
        _logger = logger;
    }

    public async Task<IReadOnlyList<IReceivedWork>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var received = await _queue.ReceiveAsync(maxMessages, visibilityTimeout, DeliveryRequestJson.TryDeserialize, "a delivery request", cancellationToken);
        return received.Select(r => (IReceivedWork)new StorageQueueReceivedWork(_queue.Queue, r.Message, r.Body, _logger)).ToList();
    }
}
