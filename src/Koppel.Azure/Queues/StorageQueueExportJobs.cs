using System.Text.Json;
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
    private readonly PoisoningQueue _queue;
    private readonly ILogger<StorageQueueExportJobs> _logger;

    public StorageQueueExportJobs(QueueClient queue, QueueClient poisonQueue, ILogger<StorageQueueExportJobs> logger)
    {
        _queue = new PoisoningQueue(queue, poisonQueue, logger);
        _logger = logger;
    }

    public Task EnqueueAsync(ExportJob job, TimeSpan? delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        return _queue.SendAsync(ExportJobJson.Serialize(job), cancellationToken, delay);
    }

    public async Task<IReadOnlyList<ReceivedExportJob>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken)
    {
        var received = await _queue.ReceiveAsync(Math.Max(1, maxMessages), visibilityTimeout, ExportJobJson.TryDeserialize, "an export job", cancellationToken);
        return received.Select(r => new ReceivedExportJob(r.Body, (int)r.Message.DequeueCount, ct => CompleteAsync(r.Message, ct))).ToList();
    }

    private async Task CompleteAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        if (!await _queue.TryDeleteAsync(message, cancellationToken))
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
