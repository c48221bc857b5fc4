using System.Text.RegularExpressions;
using Koppel.Functions.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;

namespace Koppel.Functions.Tests;

/// <summary>What the Functions SDK generated at build time (functions.metadata): what the Functions host will index and bind.</summary>
public sealed partial class When_the_functions_app_is_built
{
    [Fact]
    public void Every_function_in_the_code_is_in_the_generated_metadata_and_nothing_else()
    {
        Assert.Equal(
            FunctionsBuild.FunctionMethods.Keys.Order(StringComparer.Ordinal),
            FunctionsBuild.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.All(FunctionsBuild.Functions, f =>
        {
            var method = FunctionsBuild.FunctionMethods[f.Name];
            Assert.Equal($"{method.DeclaringType!.FullName}.{method.Name}", f.EntryPoint);
        });
    }

    [Fact]
    public void The_inbox_blob_trigger_is_started_by_event_grid_on_the_koppel_storage_connection()
    {
        var ingest = FunctionsBuild.Function("IngestBlob");

        Assert.Equal("blobTrigger", ingest.TriggerType);
        Assert.Equal("EventGrid", ingest.Text("source"));
        Assert.Equal("inbox/{dossier}/{name}", ingest.Text("path"));
        Assert.Equal("KoppelStorage", ingest.Text("connection"));
    }

    [Fact]
    public void The_stale_delivery_sweep_runs_every_five_minutes()
    {
        var sweep = FunctionsBuild.Function("SweepStaleDeliveries");

        Assert.Equal("timerTrigger", sweep.TriggerType);
        Assert.Equal("0 */5 * * * *", sweep.Text("schedule"));
    }

    [Fact]
    public void Manual_export_jobs_are_run_by_a_queue_trigger_on_the_queue_the_api_sends_them_to()
    {
        var job = FunctionsBuild.Function("RunExportJob");

        Assert.Equal("queueTrigger", job.TriggerType);
        Assert.Equal(new Koppel.Azure.KoppelStorageNames().ExportQueue, job.Text("queueName"));
        Assert.Equal("KoppelStorage", job.Text("connection"));
    }

    [Fact]
    public void Webhook_posts_are_made_by_a_queue_trigger_on_the_queue_the_publisher_sends_them_to()
    {
        var post = FunctionsBuild.Function("PostWebhook");

        Assert.Equal("queueTrigger", post.TriggerType);
        Assert.Equal(new Koppel.Azure.KoppelStorageNames().WebhookQueue, post.Text("queueName"));
        Assert.Equal("KoppelStorage", post.Text("connection"));
    }

    [Fact]
    public void Unused_oauth_consents_are_renewed_once_a_day()
    {
        var upkeep = FunctionsBuild.Function("KeepConsentsAlive");

        Assert.Equal("timerTrigger", upkeep.TriggerType);
        Assert.Equal("0 30 2 * * *", upkeep.Text("schedule"));
    }

    [Fact]
    public void Quotas_nearly_used_up_are_looked_for_once_a_day_after_yukis_day_has_turned_over()
    {
        var watch = FunctionsBuild.Function("WatchQuotas");

        Assert.Equal("timerTrigger", watch.TriggerType);
        Assert.Equal("0 30 5 * * *", watch.Text("schedule"));
    }

    [Fact]
    public void The_payment_timer_fires_every_five_minutes_in_utc_and_leaves_the_local_time_to_the_code()
    {
        var timer = FunctionsBuild.Function("QueuePaymentPolls");

        Assert.Equal("timerTrigger", timer.TriggerType);
        Assert.Equal("0 */5 * * * *", timer.Text("schedule"));
    }

    [Fact]
    public void What_targets_did_with_delivered_documents_is_read_back_every_thirty_minutes()
    {
        var readBack = FunctionsBuild.Function("ReadBack");

        Assert.Equal("timerTrigger", readBack.TriggerType);
        Assert.Equal("0 */30 * * * *", readBack.Text("schedule"));
    }

    [Fact]
    public void Payment_poll_jobs_are_run_by_a_queue_trigger_on_the_queue_the_timer_sends_them_to()
    {
        var poll = FunctionsBuild.Function("PollPayments");

        Assert.Equal("queueTrigger", poll.TriggerType);
        Assert.Equal(new Koppel.Azure.KoppelStorageNames().PollQueue, poll.Text("queueName"));
        Assert.Equal("KoppelStorage", poll.Text("connection"));
    }

    [Fact]
    public void The_delivery_trigger_is_built_exactly_when_the_service_bus_switch_is_on()
    {
        if (!FunctionsBuild.WithServiceBusTrigger)
        {
            // scripts/test.sh builds without it: the registry here serves no Service Bus extension.
            Assert.DoesNotContain(FunctionsBuild.Functions, f => f.Name == "Deliver");
            Assert.DoesNotContain(FunctionsBuild.Functions, f => f.TriggerType == "serviceBusTrigger");
            return;
        }

        var deliver = FunctionsBuild.Function("Deliver");
        Assert.Equal("serviceBusTrigger", deliver.TriggerType);
        Assert.Equal("%DeliveryQueueName%", deliver.Text("queueName"));
        Assert.Equal("ServiceBus", deliver.Text("connection"));
        Assert.Equal("True", deliver.Text("isSessionsEnabled"), ignoreCase: true);
        Assert.Equal("False", deliver.Text("autoCompleteMessages"), ignoreCase: true);
    }

    [Fact]
    public void Every_http_function_needs_a_function_key()
    {
        Assert.NotEmpty(FunctionsBuild.HttpFunctions);
        Assert.All(FunctionsBuild.HttpFunctions, f => Assert.Equal("Function", f.Text("authLevel")));
    }

    [Fact]
    public void The_http_functions_serve_exactly_the_routes_and_methods_of_the_self_hosted_api()
    {
        var functions = FunctionsBuild.HttpFunctions
            .SelectMany(f => f.Trigger.GetProperty("methods").EnumerateArray().Select(m => Route(m.GetString()!, "api/" + f.Text("route"))))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(ServerApiRoutes().Order(StringComparer.Ordinal), functions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Host_json_from_the_repository_root_is_in_the_build_output()
    {
        Assert.Equal(
            File.ReadAllText(FunctionsBuild.PathOf("host.json")),
            File.ReadAllText(Path.Combine(FunctionsBuild.OutputDirectory, "host.json")));
    }

    /// <summary>The self-hosted server's /api endpoints, read from its endpoint data sources (built, not started).</summary>
    private static HashSet<string> ServerApiRoutes()
    {
        var app = Koppel.Server.KoppelServer.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Koppel:Server:RunWorkers"] = "false",
            ["Koppel:Azure:AllowUnprotectedKeyRing"] = "true", // only its routes are read; it stores nothing
        }));
        var endpoints = ((IEndpointRouteBuilder)app).DataSources
            .SelectMany(d => d.Endpoints)
            .OfType<RouteEndpoint>()
            .ToList();
        var routes = endpoints
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => Route(m, e.RoutePattern.RawText!)))
            .ToHashSet(StringComparer.Ordinal);

        // The OpenAPI document: the server serves it beside /api (no sign-in), the Functions host under its route prefix.
        if (endpoints.Any(e => e.RoutePattern.RawText == "/openapi/{documentName}.json"))
        {
            routes.Add(Route("GET", "api/openapi/v1.json"));
        }

        return routes;
    }

    /// <summary>"GET api/dossiers/{}/runs": parameter names may differ between the hosts, the shape may not.</summary>
    private static string Route(string method, string route) =>
        $"{method.ToUpperInvariant()} {Parameter().Replace(route.Trim('/').ToLowerInvariant(), "{}")}";

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Parameter();
}
