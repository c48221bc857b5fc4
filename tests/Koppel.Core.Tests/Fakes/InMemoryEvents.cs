using Koppel.Core.Events;
using Koppel.Core.Ports;

namespace Koppel.Core.Tests.Fakes;

/// <summary>The event ports in memory, with a webhook receiver the test scripts.</summary>
public sealed class InMemoryEvents : IEventLog, IWebhookSubscriptions, IWebhookQueue, IWebhookDeadLetters, IWebhookSender, IUrlGuard
{
    private readonly Dictionary<string, WebhookSubscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), WebhookDeadLetter> _deadLetters = [];

    public List<PlatformEvent> Logged { get; } = [];

    public List<(WebhookDelivery Delivery, TimeSpan? Delay)> Queued { get; } = [];

    public List<(string Url, PlatformEvent Event, string Secret)> Posted { get; } = [];

    /// <summary>What the receiver answers, post after post; when empty, it takes every post.</summary>
    public Queue<WebhookSendResult> Answers { get; } = new();

    /// <summary>Hosts the guard refuses.</summary>
    public HashSet<string> BlockedHosts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<WebhookDeadLetter> DeadLetters => _deadLetters.Values;

    public Task AppendAsync(PlatformEvent platformEvent, CancellationToken cancellationToken)
    {
        Logged.Add(platformEvent);
        return Task.CompletedTask;
    }

    public Task AddAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        _subscriptions[subscription.Id] = subscription;
        return Task.CompletedTask;
    }

    public Task<WebhookSubscription?> GetAsync(string id, CancellationToken cancellationToken) =>
        Task.FromResult(_subscriptions.GetValueOrDefault(id));

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_subscriptions.Remove(id));

    public Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<WebhookSubscription>>([.. _subscriptions.Values]);

    public Task EnqueueAsync(WebhookDelivery delivery, TimeSpan? delay, CancellationToken cancellationToken)
    {
        Queued.Add((delivery, delay));
        return Task.CompletedTask;
    }

    public Task UpsertAsync(WebhookDeadLetter deadLetter, CancellationToken cancellationToken)
    {
        _deadLetters[(deadLetter.SubscriptionId, deadLetter.Event.Id)] = deadLetter;
        return Task.CompletedTask;
    }

    public Task<WebhookDeadLetter?> GetAsync(string subscriptionId, string eventId, CancellationToken cancellationToken) =>
        Task.FromResult(_deadLetters.GetValueOrDefault((subscriptionId, eventId)));

    public Task DeleteAsync(string subscriptionId, string eventId, CancellationToken cancellationToken)
    {
        _deadLetters.Remove((subscriptionId, eventId));
        return Task.CompletedTask;
    }

    public Task<Page<WebhookDeadLetter>> ListPageAsync(string subscriptionId, PageRequest page, CancellationToken cancellationToken)
    {
        var items = _deadLetters.Values.Where(d => d.SubscriptionId == subscriptionId).OrderBy(d => d.Event.Id, StringComparer.Ordinal).Take(page.Size).ToList();
        return Task.FromResult(new Page<WebhookDeadLetter>(items, null));
    }

    public Task<WebhookSendResult> SendAsync(WebhookSubscription subscription, PlatformEvent platformEvent, string secret, CancellationToken cancellationToken)
    {
        Posted.Add((subscription.Url.AbsoluteUri, platformEvent, secret));
        return Task.FromResult(Answers.Count > 0 ? Answers.Dequeue() : WebhookSendResult.Ok);
    }

    public Task CheckAsync(Uri url, CancellationToken cancellationToken) =>
        BlockedHosts.Contains(url.Host) ? throw new InvalidOperationException("it leads to 10.0.0.5, an internal address users may not reach") : Task.CompletedTask;
}
