using System.Text;
using Koppel.Azure.Secrets;
using Koppel.Azure.ServiceBus;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Ports;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class KoppelAzureServiceCollectionExtensionsTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite;
    private readonly TestStorage _storage;
    private readonly DirectoryInfo _keyRing = Directory.CreateTempSubdirectory("koppel-keys-");

    public KoppelAzureServiceCollectionExtensionsTests(AzuriteFixture azurite)
    {
        _azurite = azurite;
        _storage = azurite.CreateIsolatedStorage();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        _keyRing.Delete(recursive: true);
    }

    [Fact]
    public async Task Every_port_resolves_and_works_against_the_configured_storage_with_its_prefix()
    {
        await using var services = Services().BuildServiceProvider();

        var inbox = services.GetRequiredService<IInbox>();
        await inbox.PutAsync("0123456749", "a.xml", new MemoryStream(Encoding.UTF8.GetBytes("<a/>")), default);
        var secrets = services.GetRequiredService<ISecretStore>();
        await secrets.SetAsync("conn-1", "value-1", default);

        Assert.Equal("value-1", await secrets.GetAsync("conn-1", default));
        Assert.IsType<DataProtectionSecretStore>(secrets);
        Assert.IsType<Koppel.Azure.Tables.TableDailyQuota>(services.GetRequiredService<IDailyQuota>()); // shared by every instance
        Assert.True(await _storage.Clients.Container(_storage.Names.InboxContainer).GetBlobClient("0123456749/a.xml").ExistsAsync());
        Assert.NotEmpty(_keyRing.GetFiles("*.xml")); // the key ring is where the operator configured it
        foreach (var port in new[]
        {
            typeof(IDocumentArchive), typeof(IQuarantine), typeof(IDossierRepository), typeof(IConnectionRepository),
            typeof(IDocumentRepository), typeof(IDeliveryLedger), typeof(IRunLog), typeof(IDocumentHistory), typeof(IWorkQueue),
            typeof(IWorkQueueReceiver), typeof(IDailyQuota),
        })
        {
            Assert.NotNull(services.GetRequiredService(port));
        }
    }

    [Fact]
    public async Task Service_bus_replaces_the_storage_queue_as_work_queue()
    {
        var collection = Services();
        collection.AddKoppelServiceBusWorkQueue(o => o.Endpoint = new Uri("https://koppel-test.servicebus.windows.net/"));
        await using var services = collection.BuildServiceProvider();

        Assert.IsType<ServiceBusRestWorkQueue>(services.GetRequiredService<IWorkQueue>());
    }

    [Fact]
    public void Missing_storage_configuration_is_reported_when_registering_not_on_first_use()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddKoppelAzureStorage(_ => { }));

        Assert.Contains("StorageConnectionString", error.Message, StringComparison.Ordinal);
    }

    private ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKoppelAzureStorage(o =>
        {
            o.StorageConnectionString = _azurite.ConnectionString;
            o.NamePrefix = _storage.Names.Prefix;
            o.KeyRingDirectory = _keyRing.FullName;
        });
        return services;
    }
}
