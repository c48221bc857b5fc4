using System.Net;
using Koppel.Core.Connectors;
using Koppel.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Koppel.Connectors.Yuki;

/// <summary>The Yuki connector's services: options, the named HttpClient with its resilience pipeline, the quota counter.</summary>
internal static class YukiServiceCollectionExtensions
{
    public static IServiceCollection AddYukiConnector(this IServiceCollection services)
    {
        services.AddOptions<YukiOptions>()
            .Configure<IServiceProvider>((options, sp) => sp.GetService<IConfiguration>()?.GetSection(YukiOptions.SectionName).Bind(options));
        services.AddMemoryCache();
        services.TryAddSingleton(TimeProvider.System);

        // A single self-hosted instance counts in memory; the storage registration (AddKoppelAzureStorage) replaces
        // this with the table counter that all instances share.
        services.TryAddSingleton<IDailyQuota, InMemoryDailyQuota>();

        // Yuki publishes no rate limit, only the daily quota: few retries, and only of calls that change nothing
        // (a retried upload or booking after a timeout could arrive twice; the next delivery attempt looks it up first).
        // SOAP faults are HTTP 500 with an XML body: they are answers, never retried here.
        var client = services.AddHttpClient(YukiSoapClient.HttpClientName);
        client.AddResilienceHandler("yuki", pipeline =>
            {
                pipeline.AddTimeout(TimeSpan.FromMinutes(4));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromSeconds(2),
                    ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context)),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(100));
            });
        client.AddHttpMessageHandler(() => new YukiCallCountingHandler()); // inside the retries: every attempt is counted

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, YukiConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, YukiEmailConnector>());
        return services;
    }

    private static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var request = context.GetRequestMessage();
        if (request is null || !request.Options.TryGetValue(YukiRequest.Idempotent, out var idempotent) || !idempotent)
        {
            return false;
        }

        if (outcome.Exception is HttpRequestException or TimeoutRejectedException)
        {
            return true;
        }

        if (outcome.Result is not { } response)
        {
            return false;
        }

        var isSoapFault = response.StatusCode == HttpStatusCode.InternalServerError
            && response.Content.Headers.ContentType?.MediaType is "text/xml" or "application/soap+xml";
        return !isSoapFault && (int)response.StatusCode is 408 or 500 or 502 or 503 or 504;
    }
}
