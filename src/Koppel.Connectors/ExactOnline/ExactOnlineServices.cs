using System.Net;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace Koppel.Connectors.ExactOnline;

internal static class ExactOnlineServices
{
    /// <summary>
    /// The Exact Online connector with its options (<c>Koppel:Providers:ExactOnline</c>), token and rate-limit state, and
    /// the one named resilience pipeline <c>exact-online</c>: a timeout per call, the per-division rate limiter, and
    /// retries only for reads (GET) after a 5xx or a network failure. A write is never retried blindly (the next delivery
    /// attempt looks the entry up first), nor is any 4xx (Exact blocks apps that repeat errors), nor a 429 (the delivery
    /// waits until Exact's reset instead).
    /// </summary>
    public static IServiceCollection AddExactOnline(this IServiceCollection services)
    {
        services.AddOptions<ExactOnlineOptions>()
            .Configure<IServiceProvider>((options, sp) => sp.GetService<IConfiguration>()?.GetSection(ExactOnlineOptions.SectionName).Bind(options));
        services.AddOAuthTokenKeeper();
        services.TryAddSingleton<ExactRateLimits>();
        services.TryAddSingleton<ExactTokens>();

        services.AddHttpClient(ExactOnlineConnector.HttpClientName)
            .AddResilienceHandler(ExactOnlineConnector.HttpClientName, (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<ExactOnlineOptions>>().Value;
                var limits = context.ServiceProvider.GetRequiredService<ExactRateLimits>();
                builder
                    .AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = Math.Max(1, options.ReadRetries),
                        Delay = options.ReadRetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        ShouldRetryAfterHeader = false,
                        ShouldHandle = args => ValueTask.FromResult(
                            options.ReadRetries > 0
                            && args.Context.GetRequestMessage()?.Method == HttpMethod.Get
                            && (args.Outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                                || args.Outcome.Result?.StatusCode is HttpStatusCode.RequestTimeout || (int?)args.Outcome.Result?.StatusCode >= 500)),
                    })
                    .AddRateLimiter(new HttpRateLimiterStrategyOptions
                    {
                        RateLimiter = args => limits.AcquireAsync(args.Context.GetRequestMessage(), args.Context.CancellationToken),
                    })
                    .AddTimeout(options.RequestTimeout);
            });

        services.TryAddSingleton(sp => new ExactOnlineConnector(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<ExactTokens>(),
            sp.GetRequiredService<ExactRateLimits>(),
            sp.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>(),
            sp.GetRequiredService<IOptions<ExactOnlineOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<Koppel.Core.Relations.PartyMatcher>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, ExactOnlineConnector>(sp => sp.GetRequiredService<ExactOnlineConnector>()));
        return services;
    }
}
