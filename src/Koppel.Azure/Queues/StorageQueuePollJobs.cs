using Azure.Storage.Queues;
using Koppel.Core.Payments;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Queues;

/// <summary>
/// Payment poll jobs on their own storage queue (<c>{prefix}polls</c>; camelCase JSON, Base64, so the Functions queue
/// trigger reads them too). A message that is no poll job goes to <c>{prefix}polls-poison</c>.
/// </summary>
public sealed class StorageQueuePollJobs(QueueClient queue, QueueClient poisonQueue, ILogger<StorageQueuePollJobs> logger)
    : StorageQueueJobs<PollJob>(queue, poisonQueue, logger, "a payment poll job"), IPollJobQueue
{
    public Task EnqueueAsync(PollJob job, CancellationToken cancellationToken) => SendAsync(job, null, cancellationToken);

    protected override BinaryData Serialize(PollJob job) => PollJobJson.Serialize(job);

    protected override PollJob? TryDeserialize(BinaryData body) => PollJobJson.TryDeserialize(body);
}

/// <summary>The one wire format of a <see cref="PollJob"/>, for the sender, the server's pump and the Functions trigger.</summary>
public static class PollJobJson
{
    public static BinaryData Serialize(PollJob job) => JobJson.Serialize(job);

    /// <returns>null when the body is not a usable poll job.</returns>
    public static PollJob? TryDeserialize(BinaryData body) => JobJson.TryDeserialize<PollJob>(body, job => job is { DossierId.Length: > 0, ConnectionId.Length: > 0 });
}
