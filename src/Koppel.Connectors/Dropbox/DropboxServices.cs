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

namespace Koppel.Connectors.Dropbox;

internal static class DropboxServices
{
    /// <summary>Paths of Dropbox calls that only read, and so may be repeated after a 5xx or a network failure.</summary>
    private static readonly string[] ReadPaths = ["/2/files/get_metadata", "/2/users/get_current_account"];

    /// <summary>
    /// The Dropbox connector with its options (<c>Koppel:Providers:Dropbox</c>) and the one named resilience pipeline
    /// <c>dropbox</c>: a timeout per call and retries for reads only after a 5xx or a network failure. Dropbox publishes no
    /// fixed rate limit; a 429 is never retried here but handed back with Dropbox's Retry-After, so the delivery waits.
    /// An upload is never repeated blindly: the next attempt recognises its own earlier file.
    /// </summary>
    public static IServiceCollection AddDropbox(this IServiceCollection services)
    {
        services.AddOptions<DropboxOptions>()
            .Configure<IServiceProvider>((options, sp) => sp.GetService<IConfiguration>()?.GetSection(DropboxOptions.SectionName).Bind(options));
        services.AddOAuthTokenKeeper();

        services.AddHttpClient(DropboxConnector.HttpClientName)
            .AddResilienceHandler(DropboxConnector.HttpClientName, (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<DropboxOptions>>().Value;
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
                            && args.Context.GetRequestMessage()?.RequestUri?.AbsolutePath is { } path && ReadPaths.Any(p => path.EndsWith(p, StringComparison.Ordinal))
                            && (args.Outcome.Exception is HttpRequestException or Polly.Timeout.TimeoutRejectedException
                                || args.Outcome.Result?.StatusCode is HttpStatusCode.RequestTimeout || (int?)args.Outcome.Result?.StatusCode >= 500)),
                    })
                    .AddTimeout(options.RequestTimeout);
            });

        services.TryAddSingleton(sp => new DropboxConnector(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<OAuthTokenKeeper>(),
            sp.GetRequiredService<ISecretStore>(),
            sp.GetRequiredService<IOptions<DropboxOptions>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, DropboxConnector>(sp => sp.GetRequiredService<DropboxConnector>()));
        return services;
    }
}
