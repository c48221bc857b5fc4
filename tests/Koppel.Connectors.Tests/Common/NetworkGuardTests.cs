using System.Net;
using Koppel.Connectors.Common;
using Microsoft.Extensions.Options;

namespace Koppel.Connectors.Tests.Common;

public class NetworkGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.8.9.10")]
    [InlineData("169.254.169.254")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.254")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.251")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    public void Internal_addresses_are_refused_by_default(string address)
    {
        Assert.False(NetworkGuard.PublicOnly.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("193.191.245.1")]
    [InlineData("2a02:a03f::1")]
    public void Public_addresses_are_allowed(string address)
    {
        Assert.True(NetworkGuard.PublicOnly.IsAllowed(IPAddress.Parse(address)));
    }

    [Fact]
    public void The_operator_can_allow_an_internal_network_and_nothing_more()
    {
        var options = new NetworkGuardOptions();
        options.AllowedNetworks.Add("10.20.0.0/16");
        options.AllowedNetworks.Add("192.168.5.7");
        var guard = new NetworkGuard(Options.Create(options));

        Assert.True(guard.IsAllowed(IPAddress.Parse("10.20.30.40")));
        Assert.True(guard.IsAllowed(IPAddress.Parse("192.168.5.7")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("10.21.0.1")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("192.168.5.8")));
        Assert.False(guard.IsAllowed(IPAddress.Parse("127.0.0.1")));
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_at_connect_time()
    {
        var error = await Assert.ThrowsAsync<BlockedDestinationException>(() => NetworkGuard.PublicOnly.ResolveAsync("localhost", CancellationToken.None));

        Assert.Contains("Koppel may not connect to 'localhost'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Koppel:Network:AllowedNetworks", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://example.com/api")]
    [InlineData("ftp://example.com/")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/")]
    public async Task Only_https_urls_to_public_addresses_pass(string url)
    {
        await Assert.ThrowsAsync<BlockedDestinationException>(() => NetworkGuard.PublicOnly.CheckUrlAsync(new Uri(url), CancellationToken.None));
    }

    [Fact]
    public void A_misspelt_allowed_network_stops_the_start_with_the_setting_named()
    {
        var options = new NetworkGuardOptions();
        options.AllowedNetworks.Add("10.0.0.0/33x");

        var error = Assert.Throws<ArgumentException>(() => new NetworkGuard(Options.Create(options)));

        Assert.Contains("Koppel:Network:AllowedNetworks", error.Message, StringComparison.Ordinal);
    }
}
