using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Koppel.Connectors.Common;

/// <summary>How a REST provider's Refit client is wired: its base URL from the operator's options, on the provider's one resilience pipeline.</summary>
internal static class ProviderClients
{
    /// <summary>The JSON most REST providers speak: camelCase (web defaults), nulls left out.</summary>
    public static RefitSettings WebJson() => Json(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>The given JSON conventions, nulls left out.</summary>
    public static RefitSettings Json(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return new RefitSettings(new SystemTextJsonContentSerializer(options));
    }

    /// <summary>
    /// Adds the Refit client <typeparamref name="TApi"/> at <paramref name="baseUrl"/> of the bound
    /// <typeparamref name="TOptions"/>, on the resilience pipeline <paramref name="pipelineName"/>; returns the builder so
    /// a provider can add a handler of its own (e.g. its authentication) after the pipeline.
    /// </summary>
    public static IHttpClientBuilder AddProviderClient<TApi, TOptions>(
        this IServiceCollection services,
        RefitSettings refit,
        Func<TOptions, Uri> baseUrl,
        string pipelineName,
        Action<ResiliencePipelineBuilder<HttpResponseMessage>> configure)
        where TApi : class
        where TOptions : class
    {
        var client = services.AddRefitGeneratedClient<TApi>(refit)
            .ConfigureHttpClient((sp, http) => http.BaseAddress = baseUrl(sp.GetRequiredService<IOptions<TOptions>>().Value));
        client.AddResilienceHandler(pipelineName, configure);
        return client;
    }
}
