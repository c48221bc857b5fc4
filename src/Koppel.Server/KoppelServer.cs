using Koppel.Api;
using Koppel.Azure;
using Koppel.Connectors;
using Koppel.Core;
using Koppel.Core.Delivery;
using Koppel.Core.Dossiers;
using Koppel.Core.Ingestion;
using Koppel.Server.Api;
using Koppel.Server.Demo;
using Koppel.Server.Hosting;
using Koppel.Server.Security;
using Koppel.Webhooks;

namespace Koppel.Server;

/// <summary>
/// The self-hosted front door: the same handlers as the Azure Functions app, behind Kestrel, with an inbox
/// poller, a queue pump and cron timers instead of triggers. Configuration comes from appsettings.json,
/// environment variables (Koppel__Azure__StorageConnectionString …) and the command line.
/// </summary>
public static class KoppelServer
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var config = builder.Configuration;

        builder.Services.AddKoppelCore();
        builder.Services.Configure<IngestOptions>(config.GetSection("Koppel:Ingest"));
        builder.Services.Configure<DeliveryOptions>(config.GetSection("Koppel:Delivery"));
        builder.Services.Configure<Koppel.Core.Export.ExportOptions>(config.GetSection(Koppel.Core.Export.ExportOptions.SectionName));
        builder.Services.Configure<ConsentUpkeepOptions>(config.GetSection(ConsentUpkeepOptions.SectionName));
        builder.Services.Configure<HealthCheckOptions>(config.GetSection(HealthCheckOptions.SectionName));
        builder.Services.Configure<Koppel.Core.Payments.PaymentOptions>(config.GetSection(Koppel.Core.Payments.PaymentOptions.SectionName));
        builder.Services.Configure<Koppel.Core.ReadBack.ReadBackOptions>(config.GetSection(Koppel.Core.ReadBack.ReadBackOptions.SectionName));
        builder.Services.Configure<Koppel.Core.Relations.RelationOptions>(config.GetSection(Koppel.Core.Relations.RelationOptions.SectionName));
        builder.Services.Configure<ServerOptions>(config.GetSection(ServerOptions.SectionName));
        builder.Services.Configure<DemoOptions>(config.GetSection(DemoOptions.SectionName));
        builder.Services.Configure<ApiOptions>(config.GetSection(ApiOptions.SectionName));
        builder.Services.AddKoppelAzureStorage(options => config.GetSection(KoppelAzureOptions.SectionName).Bind(options));
        builder.Services.AddKoppelConnectors();
        builder.Services.Configure<Koppel.Core.Events.WebhookOptions>(config.GetSection(Koppel.Core.Events.WebhookOptions.SectionName));
        builder.Services.AddKoppelWebhooks();

        builder.Services.AddKoppelTelemetry(config);
        builder.Services.AddKoppelAuthentication(config);
        builder.Services.AddAuthorization();
        builder.Services.AddKoppelApi();
        builder.Services.AddKoppelOpenApi();
        builder.Services.AddExceptionHandler<ErrorMapping>();

        // The demo seeder runs before the pumps so the demo dossier exists when the first file is picked up.
        builder.Services.AddHostedService<DemoSeeder>();
        if (config.GetValue("Koppel:Server:RunWorkers", true))
        {
            builder.Services.AddHostedService<DropFolderImporter>();
            builder.Services.AddHostedService<InboxPoller>();
            builder.Services.AddHostedService<DeliveryPump>();
            builder.Services.AddHostedService<ExportJobPump>();
            builder.Services.AddHostedService<WebhookPump>();
            builder.Services.AddHostedService<ScheduledJobs>();
            builder.Services.AddHostedService<ConsentUpkeepLoop>();
            builder.Services.AddHostedService<PaymentPollLoop>();
            builder.Services.AddHostedService<PollJobPump>();
            builder.Services.AddHostedService<ReadBackLoop>();
            builder.Services.AddHostedService<RelationSyncLoop>();
            builder.Services.AddHostedService<RelationSyncPump>();
        }

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapGet("/health", () => Results.Ok(new { status = "ok" })).AllowAnonymous().ExcludeFromDescription();

        // The API description (no secret in it) and a page that lists its operations, both without signing in.
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapApiReference();
        app.MapDashboard();
        var api = app.MapGroup("/api").RequireAuthorization();
        api.MapDossierEndpoints();
        api.MapDocumentEndpoints();
        api.MapWebhookEndpoints();
        return app;
    }
}
