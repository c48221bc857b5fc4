using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Queues;

/// <summary>
/// Pulls delivery work from the storage queue. A message that is not a delivery request can never succeed, so it
/// is moved to the poison queue at once instead of coming back forever.
/// </summary>
public sealed class StorageQueueReceiver : IWorkQueueReceiver
{
    private const int MaxMessagesPerReceive = 32;
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly QueueClient _queue;
    private readonly QueueClient _poisonQueue;
    private readonly ILogger<StorageQueueReceiver> _logger;
    private readonly CreateOnce _ensureQueues;

    public StorageQueueReceiver(QueueClient queue, QueueClient poisonQueue, ILogger<StorageQueueReceiver> logger)
    {
        _queue = queue;
        _poisonQueue = poisonQueue;
        _logger = logger;
        _ensureQueues = new CreateOnce(async ct =>
        {
            await _queue.CreateIfNotExistsAsync(cancellationToken: ct);
            await _poisonQueue.CreateIfNotExistsAsync(cancellationToken: ct);
        });
    }

    public async Task<IReadOnlyList<IReceivedWork>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        await _ensureQueues.EnsureAsync(cancellationToken);

        var messages = await _queue.ReceiveMessagesAsync(Math.Min(maxMessages, MaxMessagesPerReceive), visibilityTimeout, cancellationToken);
        var work = new List<IReceivedWork>(messages.Value.Length);
        foreach (var message in messages.Value)
        {
            var request = DeliveryRequestJson.TryDeserialize(message.Body);
            if (request is null)
            {
                await MoveToPoisonQueueAsync(message, cancellationToken);
                continue;
            }

            work.Add(new StorageQueueReceivedWork(_queue, message, request, _logger));
        }

        return work;
    }

    private async Task MoveToPoisonQueueAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        // Copy first, delete second: a crash in between leaves a duplicate in the poison queue, never a loss.
        await _poisonQueue.SendMessageAsync(message.Body, timeToLive: NeverExpires, cancellationToken: cancellationToken);
        try
        {
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Another receiver got to it after our visibility timeout; it will move it too.
        }

        _logger.LogWarning(
            "Queue message {MessageId} on {Queue} is not a delivery request; moved to {PoisonQueue}.",
            message.MessageId, _queue.Name, _poisonQueue.Name);
    }
}
