using System.Text.Json;
using System.Text.Json.Serialization;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Koppel.Connectors.Yokoy;

/// <summary>Wires the Yokoy connector: operator options, the API and token clients on one resilience pipeline, the token cache.</summary>
public static class YokoyRegistration
{
    /// <summary>The one resilience pipeline of every call to Yokoy.</summary>
    public const string PipelineName = "yokoy";

    public static IServiceCollection AddYokoyConnector(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(YokoyTokens)))
        {
            return services;
        }

        services.AddOptions<YokoyOptions>().BindConfiguration(YokoyOptions.Section);
        services.AddMemoryCache();
        var refit = ProviderClients.WebJson();
        services.AddProviderClient<IYokoyTokenApi, YokoyOptions>(refit, o => o.TokenUrl, PipelineName, Configure);
        services.TryAddTransient<YokoyAuthHandler>();
        services.AddProviderClient<IYokoyApi, YokoyOptions>(refit, o => o.BaseUrl, PipelineName, Configure)
            .AddHttpMessageHandler<YokoyAuthHandler>();
        services.TryAddSingleton<YokoyTokens>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, YokoyConnector>());
        return services;
    }

    /// <summary>
    /// Yokoy documents 429 and 5xx but no numbers: reads are retried on 429/5xx/timeouts with exponential back-off,
    /// honouring Retry-After when sent; writes are never resent here (a 5xx may have created the invoice), the
    /// delivery's retry looks the invoice up first and a 429 comes back as a transient result with its wait.
    /// </summary>
    private static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline)
    {
        pipeline.AddTimeout(TimeSpan.FromSeconds(180));
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromSeconds(2),
            MaxDelay = TimeSpan.FromSeconds(60),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldRetryAfterHeader = true,
        };
        retry.DisableForUnsafeHttpMethods();
        pipeline.AddRetry(retry);
        pipeline.AddTimeout(TimeSpan.FromSeconds(90));
    }
}
