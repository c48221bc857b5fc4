using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Queues;

/// <summary>
/// A storage queue with its poison queue, both created on first use. A message whose body cannot be read as what the
/// queue carries can never succeed, so receiving moves it to the poison queue at once instead of letting it come back.
/// </summary>
internal sealed class PoisoningQueue
{
    private const int MaxMessagesPerReceive = 32;
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly QueueClient _poisonQueue;
    private readonly ILogger _logger;
    private readonly CreateOnce _ensureQueues;

    public PoisoningQueue(QueueClient queue, QueueClient poisonQueue, ILogger logger)
    {
        Queue = queue;
        _poisonQueue = poisonQueue;
        _logger = logger;
        _ensureQueues = new CreateOnce(async ct =>
        {
            await Queue.CreateIfNotExistsAsync(cancellationToken: ct);
            await _poisonQueue.CreateIfNotExistsAsync(cancellationToken: ct);
        });
    }

    public QueueClient Queue { get; }

    private ValueTask EnsureAsync(CancellationToken cancellationToken) => _ensureQueues.EnsureAsync(cancellationToken);

    public async Task SendAsync(BinaryData body, CancellationToken cancellationToken, TimeSpan? delay = null)
    {
        await EnsureAsync(cancellationToken);
        await Queue.SendMessageAsync(body, visibilityTimeout: delay, timeToLive: NeverExpires, cancellationToken);
    }

    /// <summary>Up to <paramref name="maxMessages"/> messages that <paramref name="read"/> understands; the others go to the poison queue.</summary>
    public async Task<List<(QueueMessage Message, T Body)>> ReceiveAsync<T>(int maxMessages, TimeSpan visibilityTimeout, Func<BinaryData, T?> read, string what, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessages);
        await EnsureAsync(cancellationToken);
        var messages = await Queue.ReceiveMessagesAsync(Math.Min(maxMessages, MaxMessagesPerReceive), visibilityTimeout, cancellationToken);
        var received = new List<(QueueMessage, T)>(messages.Value.Length);
        foreach (var message in messages.Value)
        {
            if (read(message.Body) is { } body)
            {
                received.Add((message, body));
                continue;
            }

            // Copy first, delete second: a crash in between leaves a duplicate in the poison queue, never a loss.
            await _poisonQueue.SendMessageAsync(message.Body, timeToLive: NeverExpires, cancellationToken: cancellationToken);
            await TryDeleteAsync(message, cancellationToken);
            _logger.LogWarning("Queue message {MessageId} on {Queue} is not {What}; moved to {PoisonQueue}.", message.MessageId, Queue.Name, what, _poisonQueue.Name);
        }

        return received;
    }

    /// <returns>false when the message was handed out again after its visibility timeout (another receiver holds it now).</returns>
    public async Task<bool> TryDeleteAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }
}
