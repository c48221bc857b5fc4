using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Events;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;

namespace Koppel.Core.Tests.Dossiers;

/// <summary>What a connection's state says after deliveries, and the morning list of connections to look at.</summary>
public class ConnectionHealthTests
{
    private readonly CoreHarness _harness = new();

    private DeliveryRequest? _last;

    /// <summary>Ingests a sample and hands its delivery to the handler once (no retry).</summary>
    private async Task<ConnectionHealth> HealthAfterOneDeliveryAsync(string sample = "demo-invoice.xml")
    {
        await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, sample, CoreHarness.Sample(sample)), default);
        _last = Assert.Single(_harness.Ports.Queued).Request;
        _harness.Ports.Queued.Clear();
        await _harness.Delivery.HandleAsync(_last, default);
        return Assert.Single(_harness.Ports.Connections).Health;
    }

    [Fact]
    public async Task A_provider_error_worth_retrying_marks_the_connection_degraded_and_a_delivery_that_works_heals_it()
    {
        await _harness.SeedAsync();
        _harness.Connector.FailTransiently(1);

        var degraded = await HealthAfterOneDeliveryAsync();
        Assert.Equal((ConnectionHealthStatus.Degraded, "provider answered 503"), (degraded.Status, degraded.Reason));
        Assert.Equal(_harness.Clock.GetUtcNow(), degraded.Since);

        await _harness.Delivery.HandleAsync(_last! with { Attempt = 2 }, default);
        var healed = Assert.Single(_harness.Ports.Connections).Health;
        Assert.Equal((ConnectionHealthStatus.Healthy, null), (healed.Status, healed.Reason));
        Assert.DoesNotContain(_harness.Events.Logged, e => e.Type == EventTypes.ConnectionNeedsAttention);
    }

    [Fact]
    public async Task A_provider_that_cannot_be_reached_marks_the_connection_unreachable()
    {
        await _harness.SeedAsync();
        _harness.Connector.Then(_ => throw new HttpRequestException("Connection refused (api.yukiworks.be:443)"));

        var health = await HealthAfterOneDeliveryAsync();

        Assert.Equal(ConnectionHealthStatus.Unreachable, health.Status);
        Assert.Contains("Connection refused", health.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_used_up_daily_quota_marks_the_connection_out_of_quota_and_tells_the_platform_once()
    {
        await _harness.SeedAsync();
        var tomorrow = _harness.Clock.GetUtcNow().AddHours(16);
        _harness.Connector.Then(_ => DeliveryResult.Deferred("Yuki's 1,000 calls of today are used up; resumes at 00:05.", tomorrow));
        _harness.Connector.Then(_ => DeliveryResult.Deferred("Yuki's 1,000 calls of today are used up; resumes at 00:05.", tomorrow));

        var health = await HealthAfterOneDeliveryAsync();
        await HealthAfterOneDeliveryAsync("demo.cod");

        Assert.Equal(ConnectionHealthStatus.QuotaExhausted, health.Status);
        var attention = Assert.Single(_harness.Events.Logged, e => e.Type == EventTypes.ConnectionNeedsAttention);
        Assert.Equal("QuotaExhausted", attention.Data.GetProperty("health").GetString());
    }

    [Fact]
    public async Task A_broken_connection_stays_broken_through_retries_and_quota_waits_until_a_delivery_works()
    {
        await _harness.SeedAsync();
        _harness.Connector.Then(_ => DeliveryResult.ConnectionBroken("The API key was refused."));
        _harness.Connector.FailTransiently(1);

        Assert.Equal(ConnectionHealthStatus.Broken, (await HealthAfterOneDeliveryAsync()).Status);
        Assert.Equal(ConnectionHealthStatus.Broken, (await HealthAfterOneDeliveryAsync("demo.cod")).Status);
        Assert.Equal("The API key was refused.", Assert.Single(_harness.Ports.Connections).Health.Reason);
    }

    [Fact]
    public async Task The_morning_list_shows_only_connections_that_need_looking_at_and_only_of_the_callers_dossiers()
    {
        var ours = await _harness.SeedAsync();
        var repository = (IConnectionRepository)_harness.Ports;
        var since = _harness.Clock.GetUtcNow();
        await repository.UpsertAsync(ours with { Health = new ConnectionHealth(ConnectionHealthStatus.NeedsConsent, "The Exact consent expired.", since) }, default);
        await repository.UpsertAsync(ours with { Id = "c-healthy", Health = new ConnectionHealth(ConnectionHealthStatus.Healthy, null, since) }, default);
        await repository.UpsertAsync(ours with { Id = "c-new" }, default);
        await repository.UpsertAsync(ours with { DossierId = "0876543270", Id = "c-other", Health = new ConnectionHealth(ConnectionHealthStatus.Broken, "refused", since) }, default);

        var all = await _harness.Connections.ListNeedingAttentionPageAsync(new PageRequest(100), Caller.ForAll("ops"), default);
        var firm = await _harness.Connections.ListNeedingAttentionPageAsync(new PageRequest(100), Caller.ForDossiers("firm", [CoreHarness.DossierId]), default);

        Assert.Equal([(CoreHarness.DossierId, ours.Id), ("0876543270", "c-other")], all.Items.Select(c => (c.DossierId, c.Id)).Order().ToList());
        Assert.Equal(ours.Id, Assert.Single(firm.Items).Id);
    }
}
