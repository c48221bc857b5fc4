using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Koppel.Core.Payments;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Queues;

/// <summary>A poll job taken from the queue; complete it once the handler is done with it.</summary>
public sealed record ReceivedPollJob(PollJob Job, int DequeueCount, Func<CancellationToken, Task> CompleteAsync);

/// <summary>
/// Payment poll jobs on their own storage queue (<c>{prefix}polls</c>; camelCase JSON, Base64, so the Functions queue
/// trigger reads them too). A message that is no poll job goes to <c>{prefix}polls-poison</c>.
/// </summary>
public sealed class StorageQueuePollJobs : IPollJobQueue
{
    private readonly PoisoningQueue _queue;
    private readonly ILogger<StorageQueuePollJobs> _logger;

    public StorageQueuePollJobs(QueueClient queue, QueueClient poisonQueue, ILogger<StorageQueuePollJobs> logger)
    {
        _queue = new PoisoningQueue(queue, poisonQueue, logger);
        _logger = logger;
    }

    public Task EnqueueAsync(PollJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _queue.SendAsync(PollJobJson.Serialize(job), cancellationToken);
    }

    public async Task<IReadOnlyList<ReceivedPollJob>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var received = await _queue.ReceiveAsync(Math.Max(1, maxMessages), visibilityTimeout, PollJobJson.TryDeserialize, "a payment poll job", cancellationToken);
        return received.Select(r => new ReceivedPollJob(r.Body, (int)r.Message.DequeueCount, ct => CompleteAsync(r.Message, ct))).ToList();
    }

    private async Task CompleteAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        if (!await _queue.TryDeleteAsync(message, cancellationToken))
        {
            _logger.LogWarning("Poll job message {MessageId} could not be completed: it was handed out again (polls are idempotent).", message.MessageId);
        }
    }
}

/// <summary>The one wire format of a <see cref="PollJob"/>, for the sender, the server's pump and the Functions trigger.</summary>
public static class PollJobJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static BinaryData Serialize(PollJob job) => BinaryData.FromObjectAsJson(job, Options);

    /// <returns>null when the body is not a usable poll job.</returns>
    public static PollJob? TryDeserialize(BinaryData body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            var job = body.ToObjectFromJson<PollJob>(Options);
            return job is { DossierId.Length: > 0, ConnectionId.Length: > 0 } ? job : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
