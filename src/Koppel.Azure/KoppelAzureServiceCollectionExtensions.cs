using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Security.KeyVault.Secrets;
using Koppel.Azure.Blobs;
using Koppel.Azure.Events;
using Koppel.Azure.Queues;
using Koppel.Azure.Secrets;
using Koppel.Azure.ServiceBus;
using Koppel.Azure.Tables;
using Koppel.Core.Events;
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
        // TryAdd: a host may bring its own clients (the pipeline bench adds a call counter to them).
        services.TryAddSingleton(sp => string.IsNullOrWhiteSpace(options.StorageConnectionString)
            ? KoppelStorageClients.FromServiceUris(
                options.BlobServiceUri!, options.QueueServiceUri!, options.TableServiceUri!, sp.GetRequiredService<TokenCredential>(), options.NamePrefix)
            : KoppelStorageClients.FromConnectionString(options.StorageConnectionString, options.NamePrefix));

        services.AddSingleton<IInbox>(sp => With(sp, s => new BlobInbox(s.Container(s.Names.InboxContainer), sp.GetRequiredService<ILogger<BlobInbox>>())));
        services.AddSingleton<IDocumentArchive>(sp => With(sp, s => new BlobDocumentArchive(s.Container(s.Names.ArchiveContainer))));
        services.AddSingleton<IQuarantine>(sp => With(sp, s => new BlobQuarantine(s.Container(s.Names.QuarantineContainer), sp.GetRequiredService<TimeProvider>())));

        services.AddSingleton<IDossierRepository>(sp => With(sp, s => new TableDossierRepository(s.Table(s.Names.DossiersTable))));
        services.AddSingleton<IConnectionRepository>(sp => With(sp, s => new TableConnectionRepository(s.Table(s.Names.ConnectionsTable))));
        services.AddSingleton<IDocumentRepository>(sp => With(sp, s => new TableDocumentRepository(s.Table(s.Names.DocumentsTable))));
        services.AddSingleton<IDeliveryLedger>(sp => With(sp, s => new TableDeliveryLedger(s.Table(s.Names.DeliveriesTable), DossierIds(sp))));
        services.AddSingleton<IRunLog>(sp => With(sp, s => new TableRunLog(s.Table(s.Names.RunLogTable))));
        services.AddSingleton<IDocumentHistory>(sp => With(sp, s => new TableDocumentHistory(s.Table(s.Names.HistoryTable))));
        services.AddSingleton<IOAuthRefreshLeases>(sp => With(sp, s => new TableOAuthRefreshLeases(s.Table(s.Names.LeasesTable), sp.GetRequiredService<TimeProvider>())));
        services.AddSingleton<IDailyQuota>(sp => With(sp, s => new TableDailyQuota(s.Table(s.Names.QuotaTable))));
        services.AddSingleton<Koppel.Core.Payments.IPaymentStore>(sp => With(sp, s => new TablePaymentStore(s.Table(s.Names.PaymentsTable))));
        services.AddSingleton<Koppel.Core.Payments.IPollSlotClaims>(sp => With(sp, s => new TablePollSlotClaims(s.Table(s.Names.PollSlotsTable))));
        services.AddSingleton<IReadBackIndex>(sp => With(sp, s => new TableReadBackIndex(s.Table(s.Names.ReadBackTable))));
        services.AddSingleton<Koppel.Core.Relations.IRelationStore>(sp => With(sp, s => new TableRelationStore(s.Table(s.Names.RelationsTable))));

        services.TryAddSingleton<IWorkQueue>(sp => With(sp, s => new StorageQueueWorkQueue(s.Queue(s.Names.DeliveryQueue))));
        services.AddSingleton<IWorkQueueReceiver>(sp => With(sp, s => new StorageQueueReceiver(
            s.Queue(s.Names.DeliveryQueue), s.Queue(s.Names.DeliveryPoisonQueue), sp.GetRequiredService<ILogger<StorageQueueReceiver>>())));

        services.AddSingleton(sp => With(sp, s => new StorageQueueExportJobs(
            s.Queue(s.Names.ExportQueue), s.Queue(s.Names.ExportPoisonQueue), sp.GetRequiredService<ILogger<StorageQueueExportJobs>>())));
        services.TryAddSingleton<Koppel.Core.Export.IExportJobQueue>(sp => sp.GetRequiredService<StorageQueueExportJobs>());

        services.AddSingleton<IEventLog>(sp => With(sp, s => new BlobEventLog(s.Container(s.Names.EventsContainer))));
        services.AddSingleton<IWebhookSubscriptions>(sp => With(sp, s => new TableWebhookSubscriptions(s.Table(s.Names.WebhooksTable), sp.GetRequiredService<TimeProvider>())));
        services.AddSingleton<IWebhookDeadLetters>(sp => With(sp, s => new TableWebhookDeadLetters(s.Table(s.Names.WebhookDeadLettersTable))));
        services.AddSingleton(sp => With(sp, s => new StorageQueueWebhooks(
            s.Queue(s.Names.WebhookQueue), s.Queue(s.Names.WebhookPoisonQueue), sp.GetRequiredService<ILogger<StorageQueueWebhooks>>())));
        services.AddSingleton<IWebhookQueue>(sp => sp.GetRequiredService<StorageQueueWebhooks>());
        services.AddSingleton(sp => With(sp, s => new StorageQueuePollJobs(
            s.Queue(s.Names.PollQueue), s.Queue(s.Names.PollPoisonQueue), sp.GetRequiredService<ILogger<StorageQueuePollJobs>>())));
        services.AddSingleton<Koppel.Core.Payments.IPollJobQueue>(sp => sp.GetRequiredService<StorageQueuePollJobs>());
        services.AddSingleton(sp => With(sp, s => new StorageQueueRelationSyncs(
            s.Queue(s.Names.RelationSyncQueue), s.Queue(s.Names.RelationSyncPoisonQueue), sp.GetRequiredService<ILogger<StorageQueueRelationSyncs>>())));
        services.AddSingleton<Koppel.Core.Relations.IRelationSyncQueue>(sp => sp.GetRequiredService<StorageQueueRelationSyncs>());

        if (options.KeyVaultUri is { } vault)
        {
            services.AddSingleton<ISecretStore>(sp => new KeyVaultSecretStore(new SecretClient(vault, sp.GetRequiredService<TokenCredential>())));
        }
        else
        {
            var keyRing = services.AddDataProtection()
                .SetApplicationName("Koppel")
                .PersistKeysToFileSystem(new DirectoryInfo(options.KeyRingDirectory));
            ProtectKeyRing(keyRing, options);
            services.AddSingleton<ISecretStore>(sp => With(sp, s => new DataProtectionSecretStore(
                sp.GetRequiredService<IDataProtectionProvider>(), s.Table(s.Names.SecretsTable))));
        }

        return services;
    }

    /// <summary>
    /// The key ring beside the stored credentials must not be readable on its own: its keys are encrypted with the
    /// operator's certificate. Without one the server refuses to start, unless a developer explicitly allowed it.
    /// </summary>
    private static void ProtectKeyRing(IDataProtectionBuilder keyRing, KoppelAzureOptions options)
    {
        if (options.KeyRingCertificatePath is { Length: > 0 } certificate)
        {
            var current = X509Certificate2.CreateFromPemFile(certificate, options.KeyRingCertificateKeyPath);
            X509Certificate2[] readable = options.KeyRingPreviousCertificatePath is { Length: > 0 } previous
                ? [current, X509Certificate2.CreateFromPemFile(previous, options.KeyRingPreviousCertificateKeyPath)]
                : [current];

            // Linux has no machine certificate store to find the decrypting certificate in: name them here.
            keyRing.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate(readable);
        }
        else if (!options.AllowUnprotectedKeyRing)
        {
            throw new InvalidOperationException(
                $"{KoppelAzureOptions.SectionName}: the Data Protection key ring in '{options.KeyRingDirectory}' would lie unencrypted beside the stored credentials. "
                + "Set KeyRingCertificatePath and KeyRingCertificateKeyPath (PEM) to a certificate kept elsewhere, use KeyVaultUri, "
                + "or, on a developer's machine only, AllowUnprotectedKeyRing=true. See docs/deploy.md.");
        }
    }

    /// <summary>
    /// Sends delivery work to Service Bus (the Azure Functions deployment) instead of the storage queue, through one
    /// <see cref="ServiceBusClient"/> signed in with the registered <see cref="TokenCredential"/>. Call after
    /// <see cref="AddKoppelAzureStorage"/>.
    /// </summary>
    public static IServiceCollection AddKoppelServiceBusWorkQueue(this IServiceCollection services, Action<ServiceBusQueueOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ServiceBusQueueOptions();
        configure(options);
        options.Validate();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TokenCredential>(_ => new DefaultAzureCredential());
        services.TryAddSingleton(sp => new ServiceBusClient(options.FullyQualifiedNamespace, sp.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<ServiceBusClient>().CreateSender(options.QueueName));
        services.RemoveAll<IWorkQueue>();
        services.AddSingleton<IWorkQueue, ServiceBusWorkQueue>();
        return services;
    }

    private static Func<CancellationToken, IAsyncEnumerable<string>> DossierIds(IServiceProvider services) =>
        ct => services.GetRequiredService<IDossierRepository>().ListAsync(ct).Select(d => d.Id);

    private static T With<T>(IServiceProvider services, Func<KoppelStorageClients, T> create) =>
        create(services.GetRequiredService<KoppelStorageClients>());
}
