using Azure.Core;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Koppel.Azure.Blobs;
using Koppel.Azure.Queues;
using Koppel.Azure.Secrets;
using Koppel.Azure.ServiceBus;
using Koppel.Azure.Tables;
using Koppel.Core.Ports;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Azure;

public static class KoppelAzureServiceCollectionExtensions
{
    /// <summary>
    /// Registers every storage-backed port: inbox, archive and quarantine on blobs; dossiers, connections,
    /// documents, ledger, run log, history and daily call quotas on tables; delivery work on a storage queue; and the secret store
    /// (Key Vault when <see cref="KoppelAzureOptions.KeyVaultUri"/> is set, Data Protection + table otherwise).
    /// </summary>
    public static IServiceCollection AddKoppelAzureStorage(this IServiceCollection services, Action<KoppelAzureOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new KoppelAzureOptions();
        configure(options);
        options.Validate();
        services.AddSingleton(Options.Create(options));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.AddSingleton(sp => string.IsNullOrWhiteSpace(options.StorageConnectionString)
            ? KoppelStorageClients.FromServiceUris(
                options.BlobServiceUri!, options.QueueServiceUri!, options.TableServiceUri!, sp.GetRequiredService<TokenCredential>(), options.NamePrefix)
            : KoppelStorageClients.FromConnectionString(options.StorageConnectionString, options.NamePrefix));

        services.AddSingleton<IInbox>(sp => With(sp, s => new BlobInbox(s.Container(s.Names.InboxContainer), sp.GetRequiredService<ILogger<BlobInbox>>())));
        services.AddSingleton<IDocumentArchive>(sp => With(sp, s => new BlobDocumentArchive(s.Container(s.Names.ArchiveContainer))));
        services.AddSingleton<IQuarantine>(sp => With(sp, s => new BlobQuarantine(s.Container(s.Names.QuarantineContainer), sp.GetRequiredService<TimeProvider>())));

        services.AddSingleton<IDossierRepository>(sp => With(sp, s => new TableDossierRepository(s.Table(s.Names.DossiersTable))));
        services.AddSingleton<IConnectionRepository>(sp => With(sp, s => new TableConnectionRepository(s.Table(s.Names.ConnectionsTable))));
        services.AddSingleton<IDocumentRepository>(sp => With(sp, s => new TableDocumentRepository(s.Table(s.Names.DocumentsTable))));
        services.AddSingleton<IDeliveryLedger>(sp => With(sp, s => new TableDeliveryLedger(s.Table(s.Names.DeliveriesTable))));
        services.AddSingleton<IRunLog>(sp => With(sp, s => new TableRunLog(s.Table(s.Names.RunLogTable))));
        services.AddSingleton<IDocumentHistory>(sp => With(sp, s => new TableDocumentHistory(s.Table(s.Names.HistoryTable))));
        services.AddSingleton<IDailyQuota>(sp => With(sp, s => new TableDailyQuota(s.Table(s.Names.QuotaTable))));

        services.TryAddSingleton<IWorkQueue>(sp => With(sp, s => new StorageQueueWorkQueue(s.Queue(s.Names.DeliveryQueue))));
        services.AddSingleton<IWorkQueueReceiver>(sp => With(sp, s => new StorageQueueReceiver(
            s.Queue(s.Names.DeliveryQueue), s.Queue(s.Names.DeliveryPoisonQueue), sp.GetRequiredService<ILogger<StorageQueueReceiver>>())));

        if (options.KeyVaultUri is { } vault)
        {
            services.AddSingleton<ISecretStore>(sp => new KeyVaultSecretStore(new SecretClient(vault, sp.GetRequiredService<TokenCredential>())));
        }
        else
        {
            services.AddDataProtection()
                .SetApplicationName("Koppel")
                .PersistKeysToFileSystem(new DirectoryInfo(options.KeyRingDirectory));
            services.AddSingleton<ISecretStore>(sp => With(sp, s => new DataProtectionSecretStore(
                sp.GetRequiredService<IDataProtectionProvider>(), s.Table(s.Names.SecretsTable))));
        }

        return services;
    }

    /// <summary>
    /// Sends delivery work to Service Bus (the Azure Functions deployment) instead of the storage queue.
    /// Call after <see cref="AddKoppelAzureStorage"/>.
    /// </summary>
    public static IServiceCollection AddKoppelServiceBusWorkQueue(this IServiceCollection services, Action<ServiceBusRestOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new ServiceBusRestOptions();
        configure(options);
        options.Validate();

        services.AddHttpClient(nameof(ServiceBusRestWorkQueue));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.RemoveAll<IWorkQueue>();
        services.AddSingleton<IWorkQueue>(sp => new ServiceBusRestWorkQueue(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(ServiceBusRestWorkQueue)),
            sp.GetRequiredService<TokenCredential>(),
            options,
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static T With<T>(IServiceProvider services, Func<KoppelStorageClients, T> create) =>
        create(services.GetRequiredService<KoppelStorageClients>());
}
