using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Koppel.Api;
using Koppel.Azure;
using Koppel.Azure.ServiceBus;
using Koppel.Connectors;
using Koppel.Core;
using Koppel.Core.Delivery;
using Koppel.Core.Dossiers;
using Koppel.Core.Ingestion;
using Koppel.Core.Telemetry;
using Koppel.Webhooks;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Koppel.Functions;

/// <summary>
/// The Azure front door: the same handlers as the self-hosted server, started by triggers instead of pumps.
/// Every connection is identity-based: the settings name endpoints (KoppelStorage__blobServiceUri,
/// ServiceBus__fullyQualifiedNamespace, Koppel__Azure__KeyVaultUri) and the app's managed identity signs in;
/// AZURE_CLIENT_ID tells DefaultAzureCredential which user-assigned identity that is.
/// Program.cs runs this host; the tests build the same one from the settings template and resolve every function.
/// </summary>
public static class KoppelFunctionsApp
{
    public static IHostBuilder CreateBuilder(Action<IConfigurationBuilder>? configure = null) =>
        new HostBuilder()
            .ConfigureFunctionsWebApplication()
            .ConfigureAppConfiguration(builder => configure?.Invoke(builder))
            .ConfigureServices((context, services) => AddKoppel(services, context.Configuration));

    public static void AddKoppel(IServiceCollection services, IConfiguration settings)
    {
        // One telemetry path, OpenTelemetry (host.json says so to the host too): Koppel's spans and metrics (one trace
        // per document across the Service Bus hop), the worker's and the logs, to Application Insights. Not the
        // Application Insights SDK beside it, which would send every request and log a second time.
        var telemetry = services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource(KoppelTelemetry.SourceName))
            .WithMetrics(metrics => metrics.AddMeter(KoppelTelemetry.MeterName))
            .UseFunctionsWorkerDefaults();
        if (!string.IsNullOrEmpty(settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            // Local authentication is off on the Application Insights resource: the exporter signs in as the app's identity.
            telemetry.UseAzureMonitorExporter(exporter => exporter.Credential = new DefaultAzureCredential());
        }

        services.AddKoppelCore();
        services.Configure<IngestOptions>(settings.GetSection("Koppel:Ingest"));
        services.Configure<DeliveryOptions>(settings.GetSection("Koppel:Delivery"));
        services.Configure<Koppel.Core.Export.ExportOptions>(settings.GetSection(Koppel.Core.Export.ExportOptions.SectionName));
        services.Configure<ConsentUpkeepOptions>(settings.GetSection(ConsentUpkeepOptions.SectionName));
        services.Configure<HealthCheckOptions>(settings.GetSection(HealthCheckOptions.SectionName));
        services.Configure<Koppel.Core.Payments.PaymentOptions>(settings.GetSection(Koppel.Core.Payments.PaymentOptions.SectionName));
        services.Configure<Koppel.Core.ReadBack.ReadBackOptions>(settings.GetSection(Koppel.Core.ReadBack.ReadBackOptions.SectionName));
        services.Configure<Koppel.Core.Relations.RelationOptions>(settings.GetSection(Koppel.Core.Relations.RelationOptions.SectionName));
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
            // The trigger's own settings name the namespace and the queue; sending goes to the queue the trigger listens on.
            options.FullyQualifiedNamespace = settings["ServiceBus:fullyQualifiedNamespace"];
            options.QueueName = settings["DeliveryQueueName"] ?? options.QueueName;
        });
        services.AddSingleton<ServiceBusSettlementRules>();
        services.AddSingleton<ServiceBusDeliveryProcessor>();
        services.AddKoppelConnectors();
        services.Configure<Koppel.Core.Events.WebhookOptions>(settings.GetSection(Koppel.Core.Events.WebhookOptions.SectionName));
        services.AddKoppelWebhooks();
        services.AddKoppelApi();
    }
}
