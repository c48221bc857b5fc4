using Azure.Storage.Queues;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Core.Telemetry;

namespace Koppel.Azure.Queues;

/// <summary>
/// Delivery work on an Azure Storage queue (self-hosted). A delay becomes the message's initial invisibility.
/// Storage queues have neither sessions nor duplicate detection; the delivery ledger makes a second copy harmless.
/// </summary>
public sealed class StorageQueueWorkQueue : IWorkQueue
{
    /// <summary>The longest a storage queue message can stay invisible.</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <summary>-1 second means "never expires": work must not silently disappear after the default seven days.</summary>
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    private readonly QueueClient _queue;
    private readonly CreateOnce _ensureQueue;

    public StorageQueueWorkQueue(QueueClient queue)
    {
        _queue = queue;
        _ensureQueue = new CreateOnce(ct => _queue.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    public async Task EnqueueAsync(DeliveryRequest request, TimeSpan? delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (delay is { } d && (d < TimeSpan.Zero || d > MaxDelay))
        {
            throw new ArgumentOutOfRangeException(nameof(delay), d, "A storage queue can delay a message by 0 to 7 days.");
        }

        // The message carries the trace context (traceParent), so the delivery joins the trace of the document's arrival.
        var (activity, traced) = KoppelTelemetry.StartEnqueue(request, "azure.storage.queue");
        using (activity)
        {
            await _ensureQueue.EnsureAsync(cancellationToken);
            await _queue.SendMessageAsync(DeliveryRequestJson.Serialize(traced), delay, NeverExpires, cancellationToken);
        }
    }
}
