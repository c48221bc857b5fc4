using System.Collections.Concurrent;
using Koppel.Core.Ports;

namespace Koppel.Core.Events;

/// <summary>
/// The event ports in this process only, for tests and a host without storage; the storage adapters replace them. Nothing
/// is posted: there is no webhook until one is subscribed, and the queue is kept in memory.
/// </summary>
public sealed class InProcessEvents : IEventLog, IWebhookSubscriptions, IWebhookQueue, IWebhookDeadLetters
{
    private readonly ConcurrentDictionary<string, WebhookSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, string), WebhookDeadLetter> _deadLetters = new();

    public ConcurrentQueue<PlatformEvent> Published { get; } = new();

    public ConcurrentQueue<(WebhookDelivery Delivery, TimeSpan? Delay)> Queued { get; } = new();

    public Task AppendAsync(PlatformEvent platformEvent, CancellationToken cancellationToken)
    {
        Published.Enqueue(platformEvent);
        return Task.CompletedTask;
    }

    public Task AddAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        _subscriptions[subscription.Id] = subscription;
        return Task.CompletedTask;
    }

    public Task<WebhookSubscription?> GetAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_subscriptions.GetValueOrDefault(id));

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_subscriptions.TryRemove(id, out _));

    public Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WebhookSubscription>>([.. _subscriptions.Values.OrderBy(s => s.Id, StringComparer.Ordinal)]);

    public Task EnqueueAsync(WebhookDelivery delivery, TimeSpan? delay, CancellationToken cancellationToken)
    {
        Queued.Enqueue((delivery, delay));
        return Task.CompletedTask;
    }

    public Task UpsertAsync(WebhookDeadLetter deadLetter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        _deadLetters[(deadLetter.SubscriptionId, deadLetter.Event.Id)] = deadLetter;
        return Task.CompletedTask;
    }

    public Task<WebhookDeadLetter?> GetAsync(string subscriptionId, string eventId, CancellationToken cancellationToken) =>
        Task.FromResult(_deadLetters.GetValueOrDefault((subscriptionId, eventId)));

    public Task DeleteAsync(string subscriptionId, string eventId, CancellationToken cancellationToken)
    {
        _deadLetters.TryRemove((subscriptionId, eventId), out _);
        return Task.CompletedTask;
    }

    public Task<Page<WebhookDeadLetter>> ListPageAsync(string subscriptionId, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var after = page.ContinuationToken;
        var items = _deadLetters.Values
            .Where(d => d.SubscriptionId == subscriptionId && (after is null || string.CompareOrdinal(d.Event.Id, after) > 0))
            .OrderBy(d => d.Event.Id, StringComparer.Ordinal)
            .Take(page.Size + 1)
            .ToList();
        var more = items.Count > page.Size;
        var pageItems = items.Take(page.Size).ToList();
        return Task.FromResult(new Page<WebhookDeadLetter>(pageItems, more ? pageItems[^1].Event.Id : null));
    }
}
