using System.Text.Json;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Koppel.Core.Relations;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Queues;

/// <summary>A relation sync job taken from the queue; complete it once the handler is done with it.</summary>
public sealed record ReceivedRelationSyncJob(RelationSyncJob Job, int DequeueCount, Func<CancellationToken, Task> CompleteAsync);

/// <summary>
/// Relation sync jobs on their own storage queue (<c>{prefix}relationsyncs</c>; camelCase JSON, Base64, so the Functions
/// queue trigger reads them too), a sibling of the payment polls' queue. A message that is no sync job goes to
/// <c>{prefix}relationsyncs-poison</c>.
/// </summary>
public sealed class StorageQueueRelationSyncs : IRelationSyncQueue
{
    private readonly PoisoningQueue _queue;
    private readonly ILogger<StorageQueueRelationSyncs> _logger;

    public StorageQueueRelationSyncs(QueueClient queue, QueueClient poisonQueue, ILogger<StorageQueueRelationSyncs> logger)
    {
        _queue = new PoisoningQueue(queue, poisonQueue, logger);
        _logger = logger;
    }

    public Task EnqueueAsync(RelationSyncJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _queue.SendAsync(RelationSyncJobJson.Serialize(job), cancellationToken);
    }

    public async Task<IReadOnlyList<ReceivedRelationSyncJob>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var received = await _queue.ReceiveAsync(Math.Max(1, maxMessages), visibilityTimeout, RelationSyncJobJson.TryDeserialize, "a relation sync job", cancellationToken);
        return received.Select(r => new ReceivedRelationSyncJob(r.Body, (int)r.Message.DequeueCount, ct => CompleteAsync(r.Message, ct))).ToList();
    }

    private async Task CompleteAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        if (!await _queue.TryDeleteAsync(message, cancellationToken))
        {
            _logger.LogWarning("Relation sync message {MessageId} could not be completed: it was handed out again (syncs are idempotent).", message.MessageId);
        }
    }
}

/// <summary>The one wire format of a <see cref="RelationSyncJob"/>, for the sender, the server's pump and the Functions trigger.</summary>
public static class RelationSyncJobJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static BinaryData Serialize(RelationSyncJob job) => BinaryData.FromObjectAsJson(job, Options);

    /// <returns>null when the body is not a usable sync job.</returns>
    public static RelationSyncJob? TryDeserialize(BinaryData body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            var job = body.ToObjectFromJson<RelationSyncJob>(Options);
            return job is { DossierId.Length: > 0, ConnectionId.Length: > 0 } ? job : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
