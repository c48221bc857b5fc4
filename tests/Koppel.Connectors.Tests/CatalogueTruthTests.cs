using System.Reflection;
using Koppel.Connectors.Tests.ExactOnline;
using Koppel.Connectors.Tests.Octopus;
using Koppel.Connectors.Tests.Support;
using Koppel.Connectors.Tests.Yokoy;
using Koppel.Connectors.Tests.Yuki;
using Koppel.Connectors.Tests.Zenvoices;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Connectors.Tests;

/// <summary>
/// The catalogue users pick from is what the hosts register (<c>AddKoppelConnectors</c>): every provider of the catalogue
/// (issue 9) is there, and no connector advertises a capability or a document kind it does not implement.
/// </summary>
public sealed class CatalogueTruthTests
{
    /// <summary>Every provider the catalogue promises.</summary>
    private static readonly string[] Catalogue =
    [
        "local-folder", "sftp", "email", "exact-online", "yuki", "yuki-email", "octopus", "octopus-email", "venice",
        "yokoy", "onea", "zenvoices", "lyanthe", "pingwin", "bocount", "count-e", "wings-online", "dropbox", "onedrive",
    ];

    /// <summary>
    /// Who advertises <see cref="ConnectorCapabilities.ListAdministrations"/>: the setting its connection test offers
    /// choices for, and the contract test that proves the choices come back.
    /// </summary>
    private static readonly Dictionary<string, (string Setting, Type Tests, string Test)> AdministrationChoices = new()
    {
        ["exact-online"] = ("division", typeof(ExactOnlineConnectorTests), nameof(ExactOnlineConnectorTests.The_connection_test_offers_the_users_divisions_for_the_division_setting)),
        ["yuki"] = ("administrationId", typeof(YukiConnectorTests), nameof(YukiConnectorTests.The_connection_test_lists_the_administrations_of_a_domain_key_and_names_the_key_kind)),
        ["octopus"] = ("dossierId", typeof(OctopusConnectorTests), nameof(OctopusConnectorTests.The_connection_test_lists_the_dossiers_then_the_book_years_of_the_chosen_one)),
        ["yokoy"] = ("legalEntityId", typeof(YokoyConnectorTests), nameof(YokoyConnectorTests.The_connection_test_lists_the_legal_entities_to_choose_from_and_says_yokoy_takes_purchase_invoices_only)),
        ["zenvoices"] = ("companyCode", typeof(ZenvoicesConnectorTests), nameof(ZenvoicesConnectorTests.The_connection_test_lists_the_companies_and_says_honestly_that_the_upload_is_unverified)),
    };

    /// <summary>One read interface (<see cref="IRelationReader"/>) serves relations, GL accounts and VAT codes: a connector claims all three or none.</summary>
    private const ConnectorCapabilities RelationReading =
        ConnectorCapabilities.ReadRelations | ConnectorCapabilities.ReadLedgerAccounts | ConnectorCapabilities.ReadVatCodes;

    private static ServiceProvider Registered() =>
        new ServiceCollection()
            .AddSingleton<Koppel.Core.Ports.ISecretStore>(new Koppel.Core.Tests.Fakes.InMemoryPorts())
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddKoppelConnectors()
            .BuildServiceProvider();

    [Fact]
    public void Every_provider_of_the_catalogue_is_registered_with_a_display_name_and_notes_where_it_hands_files_over()
    {
        using var services = Registered();
        var catalog = new ConnectorCatalog(services.GetServices<IConnector>());

        Assert.All(Catalogue, provider => Assert.NotNull(catalog.Find(provider)));
        Assert.All(catalog.Descriptors, d => Assert.False(string.IsNullOrWhiteSpace(d.DisplayName), d.Provider));
    }

    [Fact]
    public void No_connector_advertises_a_capability_it_does_not_implement()
    {
        using var services = Registered();

        Assert.All(services.GetServices<IConnector>(), connector =>
        {
            var descriptor = connector.Descriptor;
            var capabilities = descriptor.Capabilities;
            Assert.True(capabilities.HasFlag(ConnectorCapabilities.TestConnection), descriptor.Provider);
            Assert.Equal(descriptor.Delivers.Count > 0, capabilities.HasFlag(ConnectorCapabilities.Deliver));
            Assert.Equal(connector is IOAuthConsentConnector, capabilities.HasFlag(ConnectorCapabilities.OAuthConsent));
            Assert.Equal(connector is IPaymentReader, capabilities.HasFlag(ConnectorCapabilities.ReadPayments));
            Assert.Equal(connector is IRelationReader ? RelationReading : ConnectorCapabilities.None, capabilities & RelationReading);
            if (capabilities.HasFlag(ConnectorCapabilities.ListAdministrations))
            {
                Assert.True(AdministrationChoices.TryGetValue(descriptor.Provider, out var proof), $"{descriptor.Provider} claims ListAdministrations without a test proving its connection test offers choices.");
                Assert.Contains(descriptor.Settings, s => s.Name == proof.Setting);
                Assert.NotNull(proof.Tests.GetMethod(proof.Test, BindingFlags.Public | BindingFlags.Instance));
            }
            else
            {
                Assert.False(AdministrationChoices.ContainsKey(descriptor.Provider), descriptor.Provider);
            }
        });
    }

    [Fact]
    public async Task A_kind_outside_what_a_connector_delivers_is_never_reported_delivered()
    {
        using var services = Registered();
        foreach (var connector in services.GetServices<IConnector>())
        {
            foreach (var kind in Enum.GetValues<DocumentKind>().Where(k => !connector.Descriptor.Delivers.ContainsKey(k)))
            {
                var document = new TestDocument("x.xml", TestDeliveries.Ubl("X-1"), kind);
                var result = await connector.DeliverAsync(TestDeliveries.Context(document, ConnectorSettings.Empty, connector.Descriptor.Provider), CancellationToken.None);

                Assert.True(result.Kind == DeliveryResultKind.Permanent, $"{connector.Descriptor.Provider} answered {result.Kind} for {kind}, which it does not deliver.");
            }
        }
    }
}
