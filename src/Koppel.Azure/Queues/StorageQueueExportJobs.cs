using Azure.Storage.Queues;
using Koppel.Core.Export;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Queues;

/// <summary>
/// Export jobs on their own storage queue (camelCase JSON, Base64 like every Koppel queue, so the Functions queue trigger
/// reads them too). The self-hosted server receives them here; a message that is no export job goes to the poison queue.
/// </summary>
public sealed class StorageQueueExportJobs(QueueClient queue, QueueClient poisonQueue, ILogger<StorageQueueExportJobs> logger)
    : StorageQueueJobs<ExportJob>(queue, poisonQueue, logger, "an export job"), IExportJobQueue
{
    public Task EnqueueAsync(ExportJob job, TimeSpan? delay, CancellationToken cancellationToken) =>
        SendAsync(job, delay, cancellationToken);

    protected override BinaryData Serialize(ExportJob job) => ExportJobJson.Serialize(job);

    protected override ExportJob? TryDeserialize(BinaryData body) => ExportJobJson.TryDeserialize(body);
}

/// <summary>The one wire format of a <see cref="ExportJob"/>, for the sender, the server's pump and the Functions trigger.</summary>
public static class ExportJobJson
{
    public static BinaryData Serialize(ExportJob job) => JobJson.Serialize(job);

    /// <returns>null when the body is not a usable export job.</returns>
    public static ExportJob? TryDeserialize(BinaryData body) => JobJson.TryDeserialize<ExportJob>(body, _ => true);
}
