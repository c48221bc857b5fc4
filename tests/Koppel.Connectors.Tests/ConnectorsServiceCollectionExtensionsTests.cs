using Koppel.Connectors.ExactOnline;
using Koppel.Core.Connectors;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Connectors.Tests;

public sealed class ConnectorsServiceCollectionExtensionsTests
{
    [Fact]
    public void Registers_each_connector_once_as_a_singleton()
    {
        // The host provides the secret store (Exact Online keeps its OAuth tokens there).
        var services = new ServiceCollection()
            .AddSingleton<Koppel.Core.Ports.ISecretStore>(new Koppel.Core.Tests.Fakes.InMemoryPorts())
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddKoppelConnectors()
            .AddKoppelConnectors();

        var registrations = services.Where(d => d.ServiceType == typeof(IConnector)).ToList();
        using var provider = services.BuildServiceProvider();
        var connectors = provider.GetServices<IConnector>().ToList();

        Assert.All(registrations, d => Assert.Equal(ServiceLifetime.Singleton, d.Lifetime));
        Assert.Equal(connectors.Count, connectors.Select(c => c.GetType()).Distinct().Count());
        Assert.Same(connectors.OfType<ExactOnlineConnector>().Single(), provider.GetServices<IConnector>().OfType<ExactOnlineConnector>().Single());
        var catalog = new ConnectorCatalog(connectors);
        Assert.Equal(registrations.Count, catalog.Descriptors.Count);
        Assert.NotNull(catalog.Find("local-folder"));
        Assert.NotNull(catalog.Find(ExactOnlineConnector.ProviderKey));
        Assert.NotNull(catalog.Find("yuki"));
    }

    [Fact]
    public void The_catalogue_claims_consent_and_delivery_only_for_connectors_that_implement_them_and_the_drives_hand_over_every_kind()
    {
        using var provider = new ServiceCollection()
            .AddSingleton<Koppel.Core.Ports.ISecretStore>(new Koppel.Core.Tests.Fakes.InMemoryPorts())
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddKoppelConnectors()
            .BuildServiceProvider();
        var connectors = provider.GetServices<IConnector>().ToList();

        Assert.All(connectors, c => Assert.Equal(c is IOAuthConsentConnector, c.Descriptor.Capabilities.HasFlag(ConnectorCapabilities.OAuthConsent)));
        foreach (var drive in new[] { Koppel.Connectors.Dropbox.DropboxConnector.ProviderKey, Koppel.Connectors.OneDrive.OneDriveConnector.ProviderKey })
        {
            var connector = new ConnectorCatalog(connectors).Find(drive)!;
            Assert.IsAssignableFrom<IAcknowledgementReader>(connector);
            Assert.Equal(ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection | ConnectorCapabilities.OAuthConsent, connector.Descriptor.Capabilities);
            Assert.Equal(Enum.GetValues<Koppel.Core.Domain.DocumentKind>(), connector.Descriptor.Delivers.Keys.Order());
            Assert.All(connector.Descriptor.Delivers.Values, mode => Assert.Equal(DeliveryMode.HandOver, mode));
            // The consent's tokens are no user field; only OneDrive's application mode takes a secret (the app registration's).
            Assert.Equal(drive == Koppel.Connectors.OneDrive.OneDriveConnector.ProviderKey ? ["clientSecret"] : [], connector.Descriptor.Settings.Where(s => s.Secret).Select(s => s.Name));
            Assert.Contains(connector.Descriptor.Settings, s => s.Name == "path.SalesInvoice");
        }
    }
}
