using System.Text.Json;
using System.Text.Json.Serialization;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Koppel.Connectors.Zenvoices;

/// <summary>Wires the Zenvoices connector: operator options, the API and the (unverified) inbox upload on one resilience pipeline, the token cache.</summary>
public static class ZenvoicesRegistration
{
    /// <summary>The one resilience pipeline of every call to Zenvoices.</summary>
    public const string PipelineName = "zenvoices";

    public static IServiceCollection AddZenvoicesConnector(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(ZenvoicesSession)))
        {
            return services;
        }

        services.AddOptions<ZenvoicesOptions>().BindConfiguration(ZenvoicesOptions.Section);
        services.AddMemoryCache();
        var refit = ProviderClients.WebJson();
        services.AddProviderClient<IZenvoicesApi, ZenvoicesOptions>(refit, o => o.BaseUrl, PipelineName, Configure);
        services.AddProviderClient<IZenvoicesInboxUpload, ZenvoicesOptions>(refit, o => o.BaseUrl, PipelineName, Configure);
        services.TryAddSingleton<ZenvoicesSession>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, ZenvoicesConnector>());
        return services;
    }

    /// <summary>Zenvoices publishes no limits: the shared read-only retry pipeline (reads retried, uploads never resent).</summary>
    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline) =>
        ReadOnlyRetryPipeline.Configure(pipeline, total: TimeSpan.FromSeconds(120), perAttempt: TimeSpan.FromSeconds(60));
}
