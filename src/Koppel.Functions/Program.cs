using Koppel.Api;
using Koppel.Azure;
using Koppel.Azure.ServiceBus;
using Koppel.Connectors;
using Koppel.Core;
using Koppel.Core.Delivery;
using Koppel.Core.Ingestion;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The Azure front door: the same handlers as the self-hosted server, started by triggers instead of pumps.
// Every connection is identity-based: the settings name endpoints (KoppelStorage__blobServiceUri,
// ServiceBus__fullyQualifiedNamespace, Koppel__Azure__KeyVaultUri) and the app's managed identity signs in;
// AZURE_CLIENT_ID tells DefaultAzureCredential which user-assigned identity that is.
var host = new HostBuilder()
    .ConfigureFunctionsWebApplication()
    .ConfigureServices((context, services) =>
    {
        var settings = context.Configuration;
        services.AddApplicationInsightsTelemetryWorkerService();
        services.ConfigureFunctionsApplicationInsights();

        services.AddKoppelCore();
        services.Configure<IngestOptions>(settings.GetSection("Koppel:Ingest"));
        services.Configure<DeliveryOptions>(settings.GetSection("Koppel:Delivery"));
        services.AddKoppelAzureStorage(options =>
        {
            settings.GetSection(KoppelAzureOptions.SectionName).Bind(options);

            // The blob trigger's connection settings name the storage endpoints; Koppel's adapters use the same ones.
            options.BlobServiceUri ??= settings.GetValue<Uri>("KoppelStorage:blobServiceUri");
            options.QueueServiceUri ??= settings.GetValue<Uri>("KoppelStorage:queueServiceUri");
            options.TableServiceUri ??= settings.GetValue<Uri>("KoppelStorage:tableServiceUri");
        });
        services.AddKoppelServiceBusWorkQueue(options =>
        {
            // The trigger's own setting names the namespace; sending goes to the queue the trigger listens on.
            options.FullyQualifiedNamespace = settings["ServiceBus:fullyQualifiedNamespace"];
            options.QueueName = settings["DeliveryQueueName"] ?? options.QueueName;
        });
        services.AddSingleton<ServiceBusSettlementRules>();
        services.AddSingleton<ServiceBusDeliveryProcessor>();
        services.AddKoppelConnectors();
        services.AddKoppelApi();
    })
    .Build();

await host.RunAsync();
