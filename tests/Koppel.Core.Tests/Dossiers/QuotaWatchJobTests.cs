using Koppel.Core.Dossiers;
using Koppel.Core.Events;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Tests.Dossiers;

/// <summary>The daily check that warns before a provider's daily quota runs out.</summary>
public class QuotaWatchJobTests
{
    private readonly CoreHarness _harness = new();

    private QuotaWatchJob Job() => new(
        _harness.Ports, _harness.Ports, _harness.Connections, _harness.Health, _harness.Catalog,
        Options.Create(new HealthCheckOptions()), _harness.Clock, NullLogger<QuotaWatchJob>.Instance);

    private DateOnly Today => DateOnly.FromDateTime(_harness.Clock.GetUtcNow().UtcDateTime);

    [Fact]
    public async Task A_domain_that_used_more_than_80_percent_of_its_quota_yesterday_is_flagged_and_shows_in_the_morning_list()
    {
        await _harness.SeedAsync();
        _harness.Connector.QuotaUsed[Today.AddDays(-1)] = 850;
        _harness.Connector.QuotaUsed[Today] = 40;

        var summary = await Job().RunAsync(default);

        var health = Assert.Single(_harness.Ports.Connections).Health;
        Assert.Equal(1, summary.Warned);
        Assert.StartsWith("The scripted domain used 850 of its 1000 daily calls yesterday (85", health.Warning, StringComparison.Ordinal);
        Assert.Equal(_harness.Clock.GetUtcNow(), health.WarnedAt);
        Assert.True(health.NeedsLooking);
        var attention = await _harness.Connections.ListNeedingAttentionPageAsync(new PageRequest(100), Caller.ForAll("ops"), default);
        Assert.Single(attention.Items);
        Assert.Single(_harness.Events.Logged, e => e.Type == EventTypes.ConnectionNeedsAttention);
    }

    [Fact]
    public async Task A_busy_day_is_flagged_while_it_is_still_going()
    {
        await _harness.SeedAsync();
        _harness.Connector.QuotaUsed[Today] = 900;

        await Job().RunAsync(default);

        Assert.Contains("900 of its 1000 daily calls today so far", Assert.Single(_harness.Ports.Connections).Health.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_flag_is_cleared_once_the_domain_is_back_under_the_warning_level_and_a_delivery_does_not_clear_it()
    {
        await _harness.SeedAsync();
        _harness.Connector.QuotaUsed[Today] = 900;
        await Job().RunAsync(default);

        // Deliveries keep working while the quota lasts: they say nothing about the warning.
        await _harness.Ingest.HandleAsync(_harness.Ports.Drop(CoreHarness.DossierId, "demo-invoice.xml", CoreHarness.Sample("demo-invoice.xml")), default);
        await _harness.Delivery.HandleAsync(Assert.Single(_harness.Ports.Queued).Request, default);
        Assert.NotNull(Assert.Single(_harness.Ports.Connections).Health.Warning);

        _harness.Clock.Advance(TimeSpan.FromDays(2));
        var summary = await Job().RunAsync(default);

        var health = Assert.Single(_harness.Ports.Connections).Health;
        Assert.Equal(1, summary.Cleared);
        Assert.Null(health.Warning);
        Assert.False(health.NeedsLooking);
    }

    [Fact]
    public async Task The_same_warning_on_a_second_run_writes_nothing_and_tells_the_platform_nothing_new()
    {
        await _harness.SeedAsync();
        _harness.Connector.QuotaUsed[Today.AddDays(-1)] = 850;

        await Job().RunAsync(default);
        var second = await Job().RunAsync(default);

        Assert.Equal(0, second.Warned);
        Assert.Single(_harness.Events.Logged, e => e.Type == EventTypes.ConnectionNeedsAttention);
    }

    [Fact]
    public async Task Connections_of_one_domain_are_read_once_per_run()
    {
        await _harness.SeedAsync();
        await _harness.Connections.CreateAsync(
            CoreHarness.DossierId,
            new ConnectionInput("scripted", "Second target", ["PurchaseInvoice"], new Dictionary<string, string> { ["target"] = "y" }, new Dictionary<string, string> { ["password"] = "another-Pa55word" }, true),
            Caller.System,
            default);

        var summary = await Job().RunAsync(default);

        Assert.Equal(2, summary.Checked);
        Assert.Equal(3, _harness.Connector.QuotaReads); // today for each connection, yesterday once for the domain
    }
}
