using Koppel.Core.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Koppel.Server.Hosting;

/// <summary>Configuration section <c>Koppel:Telemetry</c>: where the self-hosted server sends its traces and metrics.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Koppel:Telemetry";

    /// <summary><c>none</c> (the default: recorded for in-process listeners only), <c>console</c> or <c>otlp</c>.</summary>
    public string Exporter { get; set; } = "none";

    /// <summary>The OTLP collector (gRPC, e.g. http://127.0.0.1:4317); empty = the exporter's default or OTEL_EXPORTER_OTLP_ENDPOINT.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The service name on every span and metric.</summary>
    public string ServiceName { get; set; } = "koppel-server";

    /// <summary>Also trace the Azure Storage calls (many per document); off: only calls to providers are traced.</summary>
    public bool TraceStorageCalls { get; set; }
}

/// <summary>
/// OpenTelemetry for the self-hosted server: Koppel's own spans and metrics (<see cref="KoppelTelemetry"/>), the HTTP API's
/// requests and the outgoing HTTP calls to providers, exported to the console or an OTLP endpoint.
/// </summary>
internal static class TelemetrySetup
{
    /// <summary>The Azure SDK stamps every request it sends with this header; providers' calls do not carry it.</summary>
    private const string AzureSdkRequestHeader = "x-ms-client-request-id";

    public static IServiceCollection AddKoppelTelemetry(this IServiceCollection services, IConfiguration config)
    {
        var options = config.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var exporter = options.Exporter.Trim().ToLowerInvariant();
        if (exporter is not ("none" or "console" or "otlp"))
        {
            throw new InvalidOperationException($"Koppel:Telemetry:Exporter is '{options.Exporter}'; use none, console or otlp.");
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(KoppelTelemetry.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request =>
                        options.TraceStorageCalls || !request.Headers.Contains(AzureSdkRequestHeader));
                _ = exporter switch
                {
                    "console" => tracing.AddConsoleExporter(),
                    "otlp" => tracing.AddOtlpExporter(o => SetEndpoint(o, options)),
                    _ => tracing,
                };
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(KoppelTelemetry.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                _ = exporter switch
                {
                    "console" => metrics.AddConsoleExporter(),
                    "otlp" => metrics.AddOtlpExporter(o => SetEndpoint(o, options)),
                    _ => metrics,
                };
            });
        return services;
    }

    private static void SetEndpoint(OpenTelemetry.Exporter.OtlpExporterOptions exporter, TelemetryOptions options)
    {
        if (options.OtlpEndpoint is { } endpoint)
        {
            exporter.Endpoint = endpoint;
        }
    }
}
