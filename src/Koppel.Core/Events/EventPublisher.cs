using Microsoft.Extensions.Logging;

namespace Koppel.Core.Events;

/// <summary>
/// Publishes an event: into the events container for batch consumers, and onto the webhook queue once per webhook that
/// wants it. Callers publish before they record the fact as final, so a crash in between publishes again with the same
/// event id rather than never.
/// </summary>
public sealed class EventPublisher(IEventLog log, IWebhookSubscriptions subscriptions, IWebhookQueue queue, ILogger<EventPublisher> logger)
{
    public async Task PublishAsync(PlatformEvent platformEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(platformEvent);
        await log.AppendAsync(platformEvent, cancellationToken);
        foreach (var subscription in await subscriptions.ListAsync(cancellationToken))
        {
            if (subscription.Wants(platformEvent))
            {
                await queue.EnqueueAsync(new WebhookDelivery(subscription.Id, platformEvent, Attempt: 1), delay: null, cancellationToken);
            }
        }

        logger.LogDebug("Published {EventType} {EventId} of dossier {DossierId}", platformEvent.Type, platformEvent.Id, platformEvent.DossierId);
    }
}
