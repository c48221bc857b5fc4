using System.Text.Json;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Koppel.Core.Export;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Queues;

/// <summary>An export job taken from the queue; complete it once the handler is done with it.</summary>
public sealed record ReceivedExportJob(ExportJob Job, int DequeueCount, Func<CancellationToken, Task> CompleteAsync);

/// <summary>
/// Export jobs on their own storage queue (camelCase JSON, Base64 like every Koppel queue, so the Functions queue trigger
/// reads them too). The self-hosted server receives them here; a message that is no export job goes to the poison queue.
/// </summary>
public sealed class StorageQueueExportJobs : IExportJobQueue
{
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly QueueClient _queue;
    private readonly QueueClient _poisonQueue;
    private readonly ILogger<StorageQueueExportJobs> _logger;
    private readonly CreateOnce _ensureQueues;

    public StorageQueueExportJobs(QueueClient queue, QueueClient poisonQueue, ILogger<StorageQueueExportJobs> logger)
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

    public async Task EnqueueAsync(ExportJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await _ensureQueues.EnsureAsync(cancellationToken);
        await _queue.SendMessageAsync(ExportJobJson.Serialize(job), visibilityTimeout: null, timeToLive: NeverExpires, cancellationToken);
    }

    public async Task<IReadOnlyList<ReceivedExportJob>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        await _ensureQueues.EnsureAsync(cancellationToken);
        var messages = await _queue.ReceiveMessagesAsync(Math.Clamp(maxMessages, 1, 32), visibilityTimeout, cancellationToken);
        var jobs = new List<ReceivedExportJob>(messages.Value.Length);
        foreach (var message in messages.Value)
        {
            if (ExportJobJson.TryDeserialize(message.Body) is not { } job)
            {
                await _poisonQueue.SendMessageAsync(message.Body, timeToLive: NeverExpires, cancellationToken: cancellationToken);
                await DeleteAsync(message, cancellationToken);
                _logger.LogWarning("Queue message {MessageId} on {Queue} is not an export job; moved to {PoisonQueue}.", message.MessageId, _queue.Name, _poisonQueue.Name);
                continue;
            }

            jobs.Add(new ReceivedExportJob(job, (int)message.DequeueCount, ct => DeleteAsync(message, ct)));
        }

        return jobs;
    }

    private async Task DeleteAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Handed out again after its visibility timeout: the job is idempotent, the next pick-up finds it done.
            _logger.LogWarning("Export job message {MessageId} could not be completed: it was handed out again.", message.MessageId);
        }
    }
}

/// <summary>The one wire format of an <see cref="ExportJob"/>, for the sender, the server's pump and the Functions trigger.</summary>
public static class ExportJobJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static BinaryData Serialize(ExportJob job) => BinaryData.FromObjectAsJson(job, Options);

    /// <returns>null when the body is not a usable export job.</returns>
    public static ExportJob? TryDeserialize(BinaryData body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body.ToObjectFromJson<ExportJob>(Options);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
