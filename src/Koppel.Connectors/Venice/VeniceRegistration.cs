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

namespace Koppel.Connectors.Venice;

/// <summary>Wires the Venice connector: the operator's base URL and the Refit client on its one resilience pipeline.</summary>
public static class VeniceRegistration
{
    /// <summary>The one resilience pipeline of every call to Venice.</summary>
    public const string PipelineName = "venice";

    public static IServiceCollection AddVeniceConnector(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IVeniceApi)))
        {
            return services;
        }

        services.AddOptions<VeniceOptions>().BindConfiguration(VeniceOptions.Section);

        // Venice's JSON is PascalCase as written in the envelope; the records are JsonObjects built by VeniceMapping.
        var refit = ProviderClients.Json(new JsonSerializerOptions());
        services.AddProviderClient<IVeniceApi, VeniceOptions>(refit, o => o.BaseUrl, PipelineName, Configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, VeniceConnector>());
        return services;
    }

    /// <summary>Venice publishes no limits: the shared read-only retry pipeline, with its own timeouts.</summary>
    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline) =>
        ReadOnlyRetryPipeline.Configure(pipeline, total: TimeSpan.FromSeconds(90), perAttempt: TimeSpan.FromSeconds(30));
}
