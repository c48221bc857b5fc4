using Koppel.Core.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Events;

/// <summary>
/// Posts one queued event to its webhook. A refused or failed post is queued again after a back-off (the receiver's
/// Retry-After when it gives one); after <see cref="WebhookOptions.MaxAttempts"/> posts the event is dead-lettered,
/// where the operator sees it and can replay it.
/// </summary>
public sealed class WebhookDeliveryHandler(
    IWebhookSubscriptions subscriptions,
    IWebhookSender sender,
    IWebhookQueue queue,
    IWebhookDeadLetters deadLetters,
    ISecretStore secrets,
    TimeProvider clock,
    IOptions<WebhookOptions> options,
    ILogger<WebhookDeliveryHandler> logger)
{
    public async Task HandleAsync(WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var subscription = await subscriptions.GetAsync(delivery.SubscriptionId, cancellationToken);
        if (subscription is null || !subscription.Enabled)
        {
            logger.LogInformation("Event {EventId} not posted: webhook {SubscriptionId} was deleted or disabled", delivery.Event.Id, delivery.SubscriptionId);
            return;
        }

        var secret = await secrets.GetAsync(subscription.SecretName, cancellationToken);
        var result = secret is null
            ? WebhookSendResult.Failed("The webhook's signing secret is missing from the secret store.")
            : await sender.SendAsync(subscription, delivery.Event, secret, cancellationToken);
        if (result.Delivered)
        {
            logger.LogInformation("Event {EventType} {EventId} posted to webhook {SubscriptionId} (attempt {Attempt})", delivery.Event.Type, delivery.Event.Id, subscription.Id, delivery.Attempt);
            return;
        }

        var settings = options.Value;
        var error = result.Error ?? "failed";
        if (delivery.Attempt >= settings.MaxAttempts)
        {
            await deadLetters.UpsertAsync(
                new WebhookDeadLetter
                {
                    SubscriptionId = subscription.Id,
                    Event = delivery.Event,
                    Attempts = delivery.Attempt,
                    LastError = error,
                    DeadLetteredAt = clock.GetUtcNow(),
                },
                cancellationToken);
            logger.LogWarning("Event {EventId} dead-lettered for webhook {SubscriptionId} after {Attempts} posts: {Error}", delivery.Event.Id, subscription.Id, delivery.Attempt, error);
            return;
        }

        var backOff = settings.FirstRetryDelay * Math.Pow(2, Math.Min(delivery.Attempt - 1, 20));
        var delay = result.RetryAfter is { } asked && asked > backOff ? asked : backOff;
        if (delay > settings.MaxRetryDelay)
        {
            delay = settings.MaxRetryDelay;
        }

        await queue.EnqueueAsync(delivery with { Attempt = delivery.Attempt + 1 }, delay, cancellationToken);
        logger.LogInformation("Event {EventId} to webhook {SubscriptionId} failed (attempt {Attempt}): {Error}; next post in {Delay}", delivery.Event.Id, subscription.Id, delivery.Attempt, error, delay);
    }
}
