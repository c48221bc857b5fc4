using Azure.Messaging.ServiceBus;
using Koppel.Core.Delivery;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.ServiceBus;

/// <summary>
/// How one received Service Bus message is settled. The Functions trigger adapts its ServiceBusMessageActions to this,
/// so the settlement rules live here, built and tested without the Functions Service Bus extension.
/// </summary>
public interface IServiceBusMessageSettlement
{
    Task CompleteAsync(CancellationToken cancellationToken);

    Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken);
}

/// <summary>
/// Runs the <see cref="DeliveryHandler"/> for one Service Bus message and settles the message as the outcome says.
/// An exception (storage or broker down) is left to propagate: the message stays unsettled, its lock lapses, the broker
/// hands it out again and, after the queue's maxDeliveryCount, dead-letters it. Nothing is lost either way.
/// </summary>
public sealed class ServiceBusDeliveryProcessor(DeliveryHandler handler, ServiceBusSettlementRules rules)
{
    public async Task ProcessAsync(ServiceBusReceivedMessage message, IServiceBusMessageSettlement settlement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(settlement);
        var request = DeliveryMessages.Read(message);
        if (request is null)
        {
            await rules.DeadLetterUnreadableAsync(settlement, cancellationToken);
            return;
        }

        var outcome = await handler.HandleAsync(request, cancellationToken);
        await rules.SettleAsync(request, outcome, settlement, cancellationToken);
    }
}

/// <summary>What each <see cref="DeliveryOutcome"/> means for a Service Bus message.</summary>
public sealed class ServiceBusSettlementRules(IWorkQueue queue, TimeProvider clock, ILogger<ServiceBusSettlementRules> logger)
{
    /// <summary>The Service Bus client refuses a dead-letter reason or description longer than this many characters.</summary>
    public const int MaxDeadLetterTextLength = 4096;

    public const string UnreadableMessageReason = "UnreadableDeliveryRequest";

    /// <summary>Retrying cannot make a broken body readable: park it where an operator can look at it.</summary>
    public async Task DeadLetterUnreadableAsync(IServiceBusMessageSettlement settlement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        logger.LogError("A message on the delivery queue is not a delivery request; dead-lettering it");
        await settlement.DeadLetterAsync(UnreadableMessageReason, "The body is not a JSON delivery request with deliveryId, dossierId, documentId and connectionId.", cancellationToken);
    }

    public async Task SettleAsync(DeliveryRequest request, DeliveryOutcome outcome, IServiceBusMessageSettlement settlement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(settlement);
        switch (outcome.Kind)
        {
            case DeliveryOutcomeKind.Retry:
                // Service Bus cannot abandon with a delay, so the next attempt is a new scheduled message. It is sent
                // before this one is completed, and its message id (delivery id + attempt) makes a repeat of this step
                // after a crash a duplicate that the queue's duplicate detection drops.
                var next = request with { Attempt = request.Attempt + 1, EnqueuedAt = clock.GetUtcNow() };
                await queue.EnqueueAsync(next, outcome.RetryAfter, cancellationToken);
                await settlement.CompleteAsync(cancellationToken);
                break;
            case DeliveryOutcomeKind.DeadLetter:
                logger.LogWarning("Delivery {DeliveryId} of dossier {DossierId} dead-lettered: {Reason}", request.DeliveryId, request.DossierId, outcome.Reason);
                await settlement.DeadLetterAsync(
                    Truncate(outcome.Reason),
                    Truncate($"Delivery {request.DeliveryId} of dossier {request.DossierId} (document {request.DocumentId}, connection {request.ConnectionId}, attempt {request.Attempt}): {outcome.Reason}"),
                    cancellationToken);
                break;
            default:
                await settlement.CompleteAsync(cancellationToken);
                break;
        }
    }

    private static string Truncate(string text) =>
        text.Length <= MaxDeadLetterTextLength ? text : string.Concat(text.AsSpan(0, MaxDeadLetterTextLength - 1), "…");
}
