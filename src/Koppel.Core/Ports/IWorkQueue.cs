using Koppel.Core.Domain;

namespace Koppel.Core.Ports;

/// <summary>
/// Sends delivery work. Self-hosted: an Azure Storage queue. Azure: Service Bus with session id = dossier
/// (ordering per dossier) and message id = <see cref="DeliveryRequest.MessageId"/> (duplicate detection).
/// </summary>
public interface IWorkQueue
{
    Task EnqueueAsync(DeliveryRequest request, TimeSpan? delay, CancellationToken cancellationToken);
}

/// <summary>A received message and the means to settle it. Used by hosts that pull (the self-hosted server).</summary>
public interface IReceivedWork
{
    DeliveryRequest Request { get; }

    /// <summary>How often the broker has handed out this message (1 the first time).</summary>
    int DequeueCount { get; }

    Task CompleteAsync(CancellationToken cancellationToken);

    /// <summary>Leaves the message on the queue, to come back after the delay.</summary>
    Task AbandonAsync(TimeSpan delay, CancellationToken cancellationToken);
}

public interface IWorkQueueReceiver
{
    Task<IReadOnlyList<IReceivedWork>> ReceiveAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken cancellationToken);
}
