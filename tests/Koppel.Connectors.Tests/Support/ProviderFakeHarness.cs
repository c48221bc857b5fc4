using Koppel.Core.Connectors;
using Koppel.ProviderFakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Connectors.Tests.Support;

/// <summary>
/// One provider fake on a free port and Koppel's connectors wired exactly as the hosts wire them
/// (<c>AddKoppelConnectors</c>), with the operator settings pointing at the fake.
/// </summary>
public sealed class ProviderFakeHarness<TFake> : IAsyncDisposable
    where TFake : IProviderFake
{
    private readonly ProviderFakesHost _host;
    private readonly ServiceProvider _services;

    internal ProviderFakeHarness(TFake fake, ProviderFakesHost host, ServiceProvider services)
    {
        Fake = fake;
        _host = host;
        _services = services;
    }

    public TFake Fake { get; }

    public Uri BaseUrl => _host.BaseUrlOf(Fake);

    public IConnector Connector(string provider) =>
        new ConnectorCatalog(_services.GetServices<IConnector>()).Find(provider) ?? throw new InvalidOperationException($"No connector '{provider}'.");

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _host.DisposeAsync();
    }
}

public static class ProviderFakeHarness
{
    public static async Task<ProviderFakeHarness<TFake>> StartAsync<TFake>(TFake fake, Func<Uri, IDictionary<string, string?>> operatorSettings)
        where TFake : IProviderFake
    {
        ArgumentNullException.ThrowIfNull(operatorSettings);
        var host = await ProviderFakesHost.StartAsync([fake]);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(operatorSettings(host.BaseUrlOf(fake))).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<Koppel.Core.Ports.ISecretStore>(new Koppel.Core.Tests.Fakes.InMemoryPorts())
            .AddKoppelConnectors()
            .BuildServiceProvider();
        return new ProviderFakeHarness<TFake>(fake, host, services);
    }
}
