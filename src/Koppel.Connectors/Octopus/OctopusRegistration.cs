using System.Text.Json;
using System.Text.Json.Serialization;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Refit;

namespace Koppel.Connectors.Octopus;

/// <summary>Wires the Octopus connector: operator options, the two Refit clients on one resilience pipeline, the token cache.</summary>
public static class OctopusRegistration
{
    /// <summary>The one resilience pipeline of every call to Octopus.</summary>
    public const string PipelineName = "octopus";

    public static IServiceCollection AddOctopusConnector(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(OctopusSession)))
        {
            return services;
        }

        services.AddOptions<OctopusOptions>().BindConfiguration(OctopusOptions.Section);
        services.AddMemoryCache();
        var refit = ProviderClients.WebJson();
        services.AddProviderClient<IOctopusApi, OctopusOptions>(refit, o => o.BaseUrl, PipelineName, Configure);
        services.AddProviderClient<IOctopusFileImportApi, OctopusOptions>(refit, o => o.FileImportBaseUrl, PipelineName, Configure);
        services.TryAddSingleton<OctopusSession>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, OctopusConnector>());
        return services;
    }

    /// <summary>Octopus publishes no limits: the shared read-only retry pipeline, with its own timeouts.</summary>
    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline) =>
        ReadOnlyRetryPipeline.Configure(pipeline, total: TimeSpan.FromSeconds(120), perAttempt: TimeSpan.FromSeconds(60));
}
