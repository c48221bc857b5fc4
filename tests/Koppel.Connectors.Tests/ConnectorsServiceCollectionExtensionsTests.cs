using Koppel.Core.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Connectors.Tests;

public sealed class ConnectorsServiceCollectionExtensionsTests
{
    [Fact]
    public void Registers_each_connector_once_as_a_singleton()
    {
        var services = new ServiceCollection().AddKoppelConnectors().AddKoppelConnectors();

        var registrations = services.Where(d => d.ServiceType == typeof(IConnector)).ToList();

        Assert.All(registrations, d => Assert.Equal(ServiceLifetime.Singleton, d.Lifetime));
        Assert.Equal(registrations.Count, registrations.Select(d => d.ImplementationType).Distinct().Count());
        using var provider = services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var catalog = new ConnectorCatalog(provider.GetServices<IConnector>());
        Assert.NotNull(catalog.Find("local-folder"));
        Assert.NotNull(catalog.Find("sftp"));
    }
}
