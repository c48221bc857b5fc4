using Azure.Storage.Queues;
using Koppel.Core.Relations;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Queues;

/// <summary>
/// Relation sync jobs on their own storage queue (<c>{prefix}relationsyncs</c>; camelCase JSON, Base64, so the Functions
/// queue trigger reads them too), a sibling of the payment polls' queue. A message that is no sync job goes to
/// <c>{prefix}relationsyncs-poison</c>.
/// </summary>
public sealed class StorageQueueRelationSyncs(QueueClient queue, QueueClient poisonQueue, ILogger<StorageQueueRelationSyncs> logger)
    : StorageQueueJobs<RelationSyncJob>(queue, poisonQueue, logger, "a relation sync job"), IRelationSyncQueue
{
    public Task EnqueueAsync(RelationSyncJob job, CancellationToken cancellationToken) => SendAsync(job, null, cancellationToken);

    protected override BinaryData Serialize(RelationSyncJob job) => RelationSyncJobJson.Serialize(job);

    protected override RelationSyncJob? TryDeserialize(BinaryData body) => RelationSyncJobJson.TryDeserialize(body);
}

/// <summary>The one wire format of a <see cref="RelationSyncJob"/>, for the sender, the server's pump and the Functions trigger.</summary>
public static class RelationSyncJobJson
{
    public static BinaryData Serialize(RelationSyncJob job) => JobJson.Serialize(job);

    /// <returns>null when the body is not a usable sync job.</returns>
    public static RelationSyncJob? TryDeserialize(BinaryData body) => JobJson.TryDeserialize<RelationSyncJob>(body, job => job is { DossierId.Length: > 0, ConnectionId.Length: > 0 });
}
