using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Koppel.Connectors.Dropbox;

internal static class DropboxServices
{
    /// <summary>Paths of Dropbox calls that only read, and so may be repeated after a 5xx or a network failure.</summary>
    private static readonly string[] ReadPaths = ["/2/files/get_metadata", "/2/users/get_current_account"];

    /// <summary>
    /// The Dropbox connector with its options (<c>Koppel:Providers:Dropbox</c>) and the one named resilience pipeline
    /// <c>dropbox</c> (<see cref="ReadOnlyRetryPipeline"/>): timeouts, and retries of reads (the metadata and account
    /// calls, which are POSTs) only after a 5xx without Retry-After or a network failure. Dropbox publishes no
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
                ReadOnlyRetryPipeline.Configure(builder, total: options.RequestTimeout * 2, perAttempt: options.RequestTimeout, isRead: request => request.RequestUri?.AbsolutePath is { } path && ReadPaths.Any(p => path.EndsWith(p, StringComparison.Ordinal)), handBackRetryAfter: true);
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
