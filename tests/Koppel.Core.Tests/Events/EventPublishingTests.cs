using Koppel.Core.Connectors;
using Koppel.Core.Events;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;

namespace Koppel.Core.Tests.Events;

public class EventPublishingTests
{
    private readonly CoreHarness _harness = new();

    private async Task<CreatedWebhook> SubscribeAsync(IReadOnlyList<string>? types = null, IReadOnlyList<string>? dossiers = null) =>
        await _harness.Webhooks.CreateAsync(new WebhookInput("Billing platform", "https://hooks.example.com/koppel", types, dossiers), Caller.ForAll("platform"), default);

    [Fact]
    public async Task A_delivered_document_publishes_one_event_with_the_provider_reference_to_the_log_and_to_the_webhook()
    {
        await _harness.SeedAsync();
        var hook = await SubscribeAsync();
        var ingest = await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "i.xml", CoreHarness.Sample("demo-invoice.xml")), default);
        await _harness.DrainQueueAsync();

        var published = Assert.Single(_harness.Events.Logged);
        Assert.Equal(EventTypes.DocumentDelivered, published.Type);
        Assert.Equal($"documents/{ingest.DocumentId}", published.Subject);
        Assert.StartsWith("booked-", published.Data.GetProperty("providerReference").GetString(), StringComparison.Ordinal);
        var queued = Assert.Single(_harness.Events.Queued);
        Assert.Equal((hook.Webhook.Id, published.Id, 1), (queued.Delivery.SubscriptionId, queued.Delivery.Event.Id, queued.Delivery.Attempt));
    }

    [Fact]
    public async Task A_webhook_hears_only_the_event_types_and_dossiers_it_asked_for()
    {
        await _harness.SeedAsync();
        await SubscribeAsync(types: [EventTypes.DeliveryFailed]);
        await SubscribeAsync(dossiers: ["0876.543.270"]);
        var everything = await SubscribeAsync(dossiers: ["BE0403.170.701"]);

        await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "i.xml", CoreHarness.Sample("demo-invoice.xml")), default);
        await _harness.DrainQueueAsync();

        Assert.Equal(everything.Webhook.Id, Assert.Single(_harness.Events.Queued).Delivery.SubscriptionId);
    }

    [Fact]
    public async Task A_document_refused_for_good_publishes_a_delivery_failed_event_with_the_reason()
    {
        await _harness.SeedAsync();
        _harness.Connector.Then(_ => DeliveryResult.Permanent("The book year 2019 is closed."));
        await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "i.xml", CoreHarness.Sample("demo-invoice.xml")), default);
        await _harness.DrainQueueAsync();

        var failed = Assert.Single(_harness.Events.Logged);
        Assert.Equal(EventTypes.DeliveryFailed, failed.Type);
        Assert.Equal("Failed", failed.Data.GetProperty("status").GetString());
        Assert.Equal("The book year 2019 is closed.", failed.Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_connection_that_breaks_publishes_one_attention_event_not_one_per_delivery()
    {
        await _harness.SeedAsync();
        for (var i = 0; i < 3; i++)
        {
            _harness.Connector.Then(_ => DeliveryResult.ConnectionBroken("The API key was refused.", needsConsent: false));
        }

        await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "i.xml", CoreHarness.Sample("demo-invoice.xml")), default);
        await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "c.cod", CoreHarness.Sample("demo.cod")), default);
        await _harness.DrainQueueAsync(maxSteps: 3);

        var attention = Assert.Single(_harness.Events.Logged, e => e.Type == EventTypes.ConnectionNeedsAttention);
        Assert.Equal("Broken", attention.Data.GetProperty("health").GetString());
        Assert.Equal("The API key was refused.", attention.Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_failed_post_is_queued_again_later_each_time_and_honours_the_receivers_retry_after()
    {
        var hook = await SubscribeAsync();
        var delivery = new WebhookDelivery(hook.Webhook.Id, SampleEvent(), Attempt: 1);
        _harness.Events.Answers.Enqueue(WebhookSendResult.Failed("The webhook answered HTTP 500."));
        _harness.Events.Answers.Enqueue(WebhookSendResult.Failed("The webhook answered HTTP 500."));
        _harness.Events.Answers.Enqueue(WebhookSendResult.Failed("The webhook answered HTTP 429.", TimeSpan.FromMinutes(20)));

        await _harness.WebhookPosts.HandleAsync(delivery, default);
        await _harness.WebhookPosts.HandleAsync(delivery with { Attempt = 2 }, default);
        await _harness.WebhookPosts.HandleAsync(delivery with { Attempt = 3 }, default);

        Assert.Equal(
            [(2, TimeSpan.FromSeconds(30)), (3, TimeSpan.FromSeconds(60)), (4, TimeSpan.FromMinutes(20))],
            _harness.Events.Queued.Select(q => (q.Delivery.Attempt, q.Delay!.Value)).ToList());
        Assert.All(_harness.Events.Posted, p => Assert.Equal(hook.Secret, p.Secret));
    }

    [Fact]
    public async Task After_the_attempt_limit_the_event_is_dead_lettered_and_a_replay_posts_it_again_from_a_fresh_count()
    {
        var hook = await SubscribeAsync();
        var platformEvent = SampleEvent();
        _harness.Events.Answers.Enqueue(WebhookSendResult.Failed("The webhook could not be reached: ConnectionError."));

        await _harness.WebhookPosts.HandleAsync(new WebhookDelivery(hook.Webhook.Id, platformEvent, Attempt: _harness.WebhookOptions.MaxAttempts), default);

        Assert.Empty(_harness.Events.Queued);
        var letter = Assert.Single((await _harness.Webhooks.ListDeadLettersAsync(hook.Webhook.Id, new Ports.PageRequest(10), Caller.ForAll("ops"), default)).Items);
        Assert.Equal((platformEvent.Id, _harness.WebhookOptions.MaxAttempts), (letter.Event.Id, letter.Attempts));
        Assert.Contains("could not be reached", letter.LastError, StringComparison.Ordinal);

        Assert.Equal(1, await _harness.Webhooks.ReplayAsync(hook.Webhook.Id, null, 100, Caller.ForAll("ops"), default));
        var replayed = Assert.Single(_harness.Events.Queued);
        Assert.Equal((platformEvent.Id, 1, (TimeSpan?)null), (replayed.Delivery.Event.Id, replayed.Delivery.Attempt, replayed.Delay));
        Assert.Empty(_harness.Events.DeadLetters);
    }

    [Fact]
    public async Task A_post_for_a_deleted_webhook_is_dropped_without_a_call()
    {
        var hook = await SubscribeAsync();
        await _harness.Webhooks.DeleteAsync(hook.Webhook.Id, Caller.ForAll("ops"), default);

        await _harness.WebhookPosts.HandleAsync(new WebhookDelivery(hook.Webhook.Id, SampleEvent(), 1), default);

        Assert.Empty(_harness.Events.Posted);
        Assert.False(_harness.Ports.Secrets.ContainsKey(hook.Webhook.SecretName));
    }

    [Fact]
    public async Task The_signing_secret_is_shown_once_and_kept_only_in_the_secret_store()
    {
        var hook = await SubscribeAsync();

        Assert.StartsWith("whsec_", hook.Secret, StringComparison.Ordinal);
        Assert.Equal(hook.Secret, _harness.Ports.Secrets[hook.Webhook.SecretName]);
        var listed = Assert.Single(await _harness.Webhooks.ListAsync(Caller.ForAll("ops"), default));
        Assert.DoesNotContain(hook.Secret, System.Text.Json.JsonSerializer.Serialize(listed), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_a_caller_for_all_dossiers_manages_webhooks()
    {
        await Assert.ThrowsAsync<Errors.AccessDeniedException>(() =>
            _harness.Webhooks.CreateAsync(new WebhookInput("p", "https://hooks.example.com/", null, null), Caller.ForDossiers("firm", [CoreHarness.DossierId]), default));
        await Assert.ThrowsAsync<Errors.AccessDeniedException>(() =>
            _harness.Webhooks.ListAsync(Caller.ForDossiers("firm", [CoreHarness.DossierId]), default));
    }

    [Theory]
    [InlineData("http://hooks.example.com/koppel", "url")]
    [InlineData("https://user:pw@hooks.example.com/koppel", "url")]
    [InlineData("not a url", "url")]
    [InlineData("https://internal.example.com/koppel", "url")]
    public async Task A_webhook_url_must_be_https_and_pass_the_network_guard(string url, string field)
    {
        _harness.Events.BlockedHosts.Add("internal.example.com");

        var error = await Assert.ThrowsAsync<Errors.RequestValidationException>(() =>
            _harness.Webhooks.CreateAsync(new WebhookInput("p", url, null, null), Caller.ForAll("ops"), default));

        Assert.True(error.Errors.ContainsKey(field));
        Assert.Empty(await _harness.Webhooks.ListAsync(Caller.ForAll("ops"), default));
    }

    [Fact]
    public async Task An_unknown_event_type_or_dossier_is_refused_naming_the_field()
    {
        var error = await Assert.ThrowsAsync<Errors.RequestValidationException>(() =>
            _harness.Webhooks.CreateAsync(new WebhookInput("p", "https://hooks.example.com/", ["be.koppel.invoice.eaten"], ["12345"]), Caller.ForAll("ops"), default));

        Assert.True(error.Errors.ContainsKey("eventTypes"));
        Assert.True(error.Errors.ContainsKey("dossiers"));
    }

    private static PlatformEvent SampleEvent() => new()
    {
        Id = "0403170701.d1.delivered",
        Type = EventTypes.DocumentDelivered,
        Time = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero),
        DossierId = CoreHarness.DossierId,
        Subject = "documents/d1",
        Data = System.Text.Json.JsonDocument.Parse("""{"providerReference":"INV-1"}""").RootElement,
    };
}
