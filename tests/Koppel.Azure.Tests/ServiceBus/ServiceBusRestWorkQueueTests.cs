using System.Text.Json;
using Koppel.Azure.ServiceBus;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Domain;

namespace Koppel.Azure.Tests.ServiceBus;

public sealed class ServiceBusRestWorkQueueTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 13, 0, 0, TimeSpan.Zero);

    private readonly HttpClient _http = new();
    private readonly FixedClock _clock = new(Now);
    private FakeServiceBus _bus = null!;

    public async Task InitializeAsync() => _bus = await FakeServiceBus.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _bus.DisposeAsync();
    }

    [Fact]
    public async Task A_request_is_posted_with_the_dossier_as_session_and_the_delivery_as_message_id()
    {
        using var queue = Queue(new FakeTokenCredential());
        var request = Request(attempt: 1);

        await queue.EnqueueAsync(request, delay: null, default);

        var sent = Assert.Single(_bus.Messages);
        Assert.Equal("/deliveries/messages", sent.Path);
        Assert.Equal("Bearer fake-token-1", sent.Authorization);
        Assert.StartsWith("application/json", sent.ContentType, StringComparison.Ordinal);
        using var properties = JsonDocument.Parse(sent.BrokerProperties!);
        Assert.Equal("0123456749", properties.RootElement.GetProperty("SessionId").GetString());
        Assert.Equal(request.DeliveryId, properties.RootElement.GetProperty("MessageId").GetString());
        Assert.False(properties.RootElement.TryGetProperty("ScheduledEnqueueTimeUtc", out _));
        Assert.Equal(request, JsonSerializer.Deserialize<DeliveryRequest>(sent.Body, JsonSerializerOptions.Web));
    }

    [Fact]
    public async Task A_delayed_retry_is_scheduled_for_now_plus_the_delay_under_its_own_message_id()
    {
        using var queue = Queue(new FakeTokenCredential());
        var retry = Request(attempt: 3);

        await queue.EnqueueAsync(retry, TimeSpan.FromMinutes(10), default);

        using var properties = JsonDocument.Parse(Assert.Single(_bus.Messages).BrokerProperties!);
        Assert.Equal("Sun, 22 Nov 2026 13:10:00 GMT", properties.RootElement.GetProperty("ScheduledEnqueueTimeUtc").GetString());
        Assert.Equal(retry.DeliveryId + "-3", properties.RootElement.GetProperty("MessageId").GetString());
    }

    [Fact]
    public async Task The_token_is_fetched_once_for_the_service_bus_scope_and_reused()
    {
        var credential = new FakeTokenCredential(clock: _clock);
        using var queue = Queue(credential);

        await queue.EnqueueAsync(Request(1), null, default);
        _clock.Now += TimeSpan.FromMinutes(30);
        await queue.EnqueueAsync(Request(2), null, default);

        Assert.Equal(1, credential.Issued);
        Assert.Equal(["https://servicebus.azure.net/.default"], credential.Scopes);
    }

    [Fact]
    public async Task A_token_about_to_expire_is_renewed_before_it_is_sent()
    {
        var credential = new FakeTokenCredential(lifetime: TimeSpan.FromMinutes(2), _clock);
        using var queue = Queue(credential);

        await queue.EnqueueAsync(Request(1), null, default);
        await queue.EnqueueAsync(Request(2), null, default);

        Assert.Equal(2, credential.Issued);
        Assert.Equal("Bearer fake-token-2", _bus.Messages.Last().Authorization);
    }

    [Fact]
    public async Task Throttling_is_a_transient_failure_that_carries_the_brokers_retry_after()
    {
        using var queue = Queue(new FakeTokenCredential());
        _bus.NextFailures.Enqueue((429, "7"));

        var error = await Assert.ThrowsAsync<WorkQueueUnavailableException>(() => queue.EnqueueAsync(Request(1), null, default));

        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.Empty(_bus.Messages);
    }

    [Fact]
    public async Task A_server_error_is_a_transient_failure()
    {
        using var queue = Queue(new FakeTokenCredential());
        _bus.NextFailures.Enqueue((503, null));

        var error = await Assert.ThrowsAsync<WorkQueueUnavailableException>(() => queue.EnqueueAsync(Request(1), null, default));

        Assert.Null(error.RetryAfter);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task A_refused_token_is_a_permanent_error_naming_namespace_and_queue_but_not_the_token(int status)
    {
        using var queue = Queue(new FakeTokenCredential());
        _bus.NextFailures.Enqueue((status, null));

        var error = await Assert.ThrowsAsync<WorkQueueRejectedException>(() => queue.EnqueueAsync(Request(1), null, default));

        Assert.Equal(status, error.Status);
        Assert.Contains("'deliveries'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'127.0.0.1'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("fake-token", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_http_endpoint_outside_loopback_is_refused()
    {
        var options = new ServiceBusRestOptions { Endpoint = new Uri("http://koppel.servicebus.windows.net/") };

        Assert.Throws<InvalidOperationException>(() => new ServiceBusRestWorkQueue(_http, new FakeTokenCredential(), options, _clock));
    }

    private ServiceBusRestWorkQueue Queue(FakeTokenCredential credential) =>
        new(_http, credential, new ServiceBusRestOptions { Endpoint = _bus.Endpoint, QueueName = "deliveries" }, _clock);

    private static DeliveryRequest Request(int attempt) => new()
    {
        DeliveryId = DeliveryIds.For("doc1", "conn1"),
        DossierId = "0123456749",
        DocumentId = "doc1",
        ConnectionId = "conn1",
        Attempt = attempt,
        EnqueuedAt = Now,
    };
}
