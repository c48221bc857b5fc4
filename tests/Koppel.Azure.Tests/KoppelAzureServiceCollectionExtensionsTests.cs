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
    private readonly Lazy<(string, string)> _certificate = new(() => KeyRingCertificate.CreateIn(Directory.CreateTempSubdirectory("koppel-keyring-cert-").FullName));

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
        collection.AddKoppelServiceBusWorkQueue(o =>
        {
            o.FullyQualifiedNamespace = "koppel-test.servicebus.windows.net";
            o.QueueName = "deliveries-test";
        });
        await using var services = collection.BuildServiceProvider();

        Assert.IsType<ServiceBusWorkQueue>(services.GetRequiredService<IWorkQueue>());
        var sender = services.GetRequiredService<global::Azure.Messaging.ServiceBus.ServiceBusSender>();
        Assert.Equal("koppel-test.servicebus.windows.net", sender.FullyQualifiedNamespace);
        Assert.Equal("deliveries-test", sender.EntityPath);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("<servicebus-namespace>.servicebus.windows.net")]
    [InlineData("https://koppel.servicebus.windows.net/")]
    public void A_service_bus_namespace_that_is_not_a_host_name_is_refused_naming_the_setting(string? value)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new ServiceCollection().AddKoppelServiceBusWorkQueue(o => o.FullyQualifiedNamespace = value));

        Assert.Contains("ServiceBus__fullyQualifiedNamespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_storage_configuration_is_reported_when_registering_not_on_first_use()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddKoppelAzureStorage(_ => { }));

        Assert.Contains("StorageConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_ring_is_written_encrypted_with_the_operators_certificate_and_read_back_after_a_restart()
    {
        await using (var first = Services().BuildServiceProvider())
        {
            await first.GetRequiredService<ISecretStore>().SetAsync("conn-secret", "{\"password\":\"hunter2\"}", default);
        }

        var keyFile = Assert.Single(_keyRing.GetFiles("key-*.xml"));
        var xml = await File.ReadAllTextAsync(keyFile.FullName);
        Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml.Replace("<masterKey p4:requiresEncryption", "", StringComparison.Ordinal), StringComparison.Ordinal);

        await using var second = Services().BuildServiceProvider();
        Assert.Equal("{\"password\":\"hunter2\"}", await second.GetRequiredService<ISecretStore>().GetAsync("conn-secret", default));
    }

    [Fact]
    public void Without_a_certificate_the_key_ring_is_refused_unless_a_developer_allows_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddKoppelAzureStorage(o =>
        {
            o.StorageConnectionString = _azurite.ConnectionString;
            o.KeyRingDirectory = _keyRing.FullName;
        }));

        Assert.Contains("KeyRingCertificatePath", error.Message, StringComparison.Ordinal);
        new ServiceCollection().AddKoppelAzureStorage(o =>
        {
            o.StorageConnectionString = _azurite.ConnectionString;
            o.KeyRingDirectory = _keyRing.FullName;
            o.AllowUnprotectedKeyRing = true;
        });
    }

    private ServiceCollection Services()
    {
        var (certificate, key) = _certificate.Value;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKoppelAzureStorage(o =>
        {
            o.StorageConnectionString = _azurite.ConnectionString;
            o.NamePrefix = _storage.Names.Prefix;
            o.KeyRingDirectory = _keyRing.FullName;
            o.KeyRingCertificatePath = certificate;
            o.KeyRingCertificateKeyPath = key;
        });
        return services;
    }
}
