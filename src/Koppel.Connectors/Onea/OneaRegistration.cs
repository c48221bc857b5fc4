using System.Text.Json;
using System.Text.Json.Serialization;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Koppel.Connectors.Onea;

/// <summary>Wires the Onea connector: the operator's base URL and the Refit client on its one resilience pipeline.</summary>
public static class OneaRegistration
{
    /// <summary>The one resilience pipeline of every call to Onea.</summary>
    public const string PipelineName = "onea";

    public static IServiceCollection AddOneaConnector(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(IOneaApi)))
        {
            return services;
        }

        services.AddOptions<OneaOptions>().BindConfiguration(OneaOptions.Section);
        var refit = ProviderClients.WebJson();
        services.AddProviderClient<IOneaApi, OneaOptions>(refit, o => o.BaseUrl, PipelineName, Configure);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, OneaConnector>());
        return services;
    }

    /// <summary>Onea publishes no limits: the shared read-only retry pipeline (status reads retried, posts never resent).</summary>
    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline) =>
        ReadOnlyRetryPipeline.Configure(pipeline, total: TimeSpan.FromSeconds(90), perAttempt: TimeSpan.FromSeconds(30));
}
