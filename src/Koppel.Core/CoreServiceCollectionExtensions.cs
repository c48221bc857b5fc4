using Koppel.Core.Connectors;
using Koppel.Core.Delivery;
using Koppel.Core.Dossiers;
using Koppel.Core.Events;
using Koppel.Core.Export;
using Koppel.Core.Ingestion;
using Koppel.Core.Payments;
using Koppel.Core.Ports;
using Koppel.Core.Queries;
using Koppel.Core.ReadBack;
using Koppel.Core.Relations;
using Koppel.Core.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Koppel.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>Registers Koppel's handlers. The host adds the ports (storage, queue, secrets) and the connectors.</summary>
    public static IServiceCollection AddKoppelCore(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<IngestOptions>();
        services.AddOptions<DeliveryOptions>();
        services.AddOptions<ExportOptions>();
        services.TryAddSingleton<IDocumentReader>(sp =>
        {
            var ingest = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<IngestOptions>>().Value;
            return new FormatsDocumentReader(ingest.MaxDocumentBytes, ingest.RejectInvalidDocuments);
        });
        services.TryAddSingleton(sp => new ConnectorCatalog(sp.GetServices<IConnector>()));
        services.TryAddSingleton<RunLogWriter>();
        services.TryAddSingleton<DeliveryDispatcher>();
        services.TryAddSingleton<ConnectionService>();
        services.TryAddSingleton<DossierService>();
        services.TryAddSingleton<ConsentService>();
        services.AddOptions<ConsentUpkeepOptions>();
        services.TryAddSingleton<ConsentUpkeepJob>();
        services.AddOptions<HealthCheckOptions>();
        services.TryAddSingleton<QuotaWatchJob>();
        services.TryAddSingleton<AdministrationImportService>();
        services.TryAddSingleton<Ports.IOAuthRefreshLeases, Ports.InMemoryOAuthRefreshLeases>();
        services.TryAddSingleton<IngestHandler>();
        services.TryAddSingleton<QuarantineService>();
        services.TryAddSingleton<DeliveryHandler>();
        services.TryAddSingleton<StaleDeliverySweeper>();
        services.TryAddSingleton<ClaimRecovery>();
        services.TryAddSingleton<DeadLetterActions>();
        services.TryAddSingleton<ExportHandler>();
        services.TryAddSingleton<DocumentQueries>();
        services.AddOptions<WebhookOptions>();

        // In-process defaults (tests, a host without storage); the storage adapters replace them.
        services.TryAddSingleton<InProcessEvents>();
        services.TryAddSingleton<IEventLog>(sp => sp.GetRequiredService<InProcessEvents>());
        services.TryAddSingleton<IWebhookSubscriptions>(sp => sp.GetRequiredService<InProcessEvents>());
        services.TryAddSingleton<IWebhookQueue>(sp => sp.GetRequiredService<InProcessEvents>());
        services.TryAddSingleton<IWebhookDeadLetters>(sp => sp.GetRequiredService<InProcessEvents>());
        services.TryAddSingleton<EventPublisher>();
        services.TryAddSingleton<ConnectionHealthRecorder>();
        services.TryAddSingleton<WebhookDeliveryHandler>();
        services.TryAddSingleton<WebhookService>();
        services.AddOptions<PaymentOptions>();

        // In-process defaults (tests, a host without storage); the storage adapters replace them.
        services.TryAddSingleton<IPaymentStore, InMemoryPaymentStore>();
        services.TryAddSingleton<IPollSlotClaims, InMemoryPollSlotClaims>();
        services.TryAddSingleton<IPollJobQueue, InMemoryPollJobQueue>(); // the storage queue replaces it
        services.TryAddSingleton<InvoiceTracker>();
        services.TryAddSingleton<PaymentRecorder>();
        services.TryAddSingleton<BankPaymentMatcher>();
        services.TryAddSingleton<PaymentIntake>();
        services.TryAddSingleton<PaymentPollHandler>();
        services.TryAddSingleton<PaymentPollScheduler>();
        services.TryAddSingleton<PaymentQueries>();

        services.AddOptions<ReadBackOptions>();
        services.TryAddSingleton<IReadBackIndex, InMemoryReadBackIndex>(); // the storage adapter replaces it
        services.TryAddSingleton<ReadBackHandler>();
        // Relations: in-process store and queue by default (tests, a host without storage); the storage adapters replace them.
        services.AddOptions<RelationOptions>();
        services.TryAddSingleton<IRelationStore, InMemoryRelationStore>();
        services.TryAddSingleton<IRelationSyncQueue, InMemoryRelationSyncQueue>();
        services.TryAddSingleton<PartyMatcher>();
        services.TryAddSingleton<RelationSyncHandler>();
        services.TryAddSingleton<RelationSyncScheduler>();
        services.TryAddSingleton<RelationService>();
        return services;
    }
}
