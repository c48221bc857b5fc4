using Koppel.Core.Ports;

namespace Koppel.Core.Events;

/// <summary>
/// Every event Koppel published, for batch consumers: the events container, one JSON file per event under
/// <c>{yyyy}/{MM}/{dd}/{HH}/</c>, so a consumer reads an hour or a day by prefix.
/// </summary>
public interface IEventLog
{
    /// <summary>Writes the event; the same event again (same id and time) overwrites it with the same content.</summary>
    Task AppendAsync(PlatformEvent platformEvent, CancellationToken cancellationToken);
}

public interface IWebhookSubscriptions
{
    Task AddAsync(WebhookSubscription subscription, CancellationToken cancellationToken);

    Task<WebhookSubscription?> GetAsync(string id, CancellationToken cancellationToken);

    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every subscription; there are a handful (one or a few per platform), not thousands.</summary>
    Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>Where webhook posts wait: one message per event and webhook; a delay for a retry.</summary>
public interface IWebhookQueue
{
    Task EnqueueAsync(WebhookDelivery delivery, TimeSpan? delay, CancellationToken cancellationToken);
}

public interface IWebhookDeadLetters
{
    /// <summary>Keyed by webhook and event id: dead-lettering the same event twice keeps one.</summary>
    Task UpsertAsync(WebhookDeadLetter deadLetter, CancellationToken cancellationToken);

    Task<WebhookDeadLetter?> GetAsync(string subscriptionId, string eventId, CancellationToken cancellationToken);

    Task DeleteAsync(string subscriptionId, string eventId, CancellationToken cancellationToken);

    /// <summary>One page of a webhook's dead letters, in event id order.</summary>
    Task<Page<WebhookDeadLetter>> ListPageAsync(string subscriptionId, PageRequest page, CancellationToken cancellationToken);
}

/// <summary>Posts one event to one webhook, signed with its secret. Never throws for what the receiver answers.</summary>
public interface IWebhookSender
{
    Task<WebhookSendResult> SendAsync(WebhookSubscription subscription, PlatformEvent platformEvent, string secret, CancellationToken cancellationToken);
}

/// <summary>The one check every user-supplied URL passes (https only, no internal address); throws naming the reason.</summary>
public interface IUrlGuard
{
    Task CheckAsync(Uri url, CancellationToken cancellationToken);
}
