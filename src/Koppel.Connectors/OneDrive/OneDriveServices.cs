using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Ports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Koppel.Connectors.OneDrive;

internal static class OneDriveServices
{
    /// <summary>
    /// The OneDrive connector with its options (<c>Koppel:Providers:OneDrive</c>) and the one named resilience pipeline
    /// <c>onedrive</c> (<see cref="ReadOnlyRetryPipeline"/>): timeouts, and retries of reads (GET) only after a 5xx without
    /// Retry-After or a network failure. Graph's limits are not fixed numbers; a 429 or 503 is handed back with Graph's
    /// Retry-After, so the delivery waits
    /// as long as Microsoft asks. An upload is never repeated blindly: the next attempt recognises its own earlier file.
    /// </summary>
    public static IServiceCollection AddOneDrive(this IServiceCollection services)
    {
        services.AddOptions<OneDriveOptions>()
            .Configure<IServiceProvider>((options, sp) => sp.GetService<IConfiguration>()?.GetSection(OneDriveOptions.SectionName).Bind(options));
        services.AddOAuthTokenKeeper();
        services.AddMemoryCache();
        services.TryAddSingleton(sp => new OneDriveAppTokens(sp.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>(), sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<IOptions<OneDriveOptions>>()));

        services.AddHttpClient(OneDriveConnector.HttpClientName)
            .AddResilienceHandler(OneDriveConnector.HttpClientName, (builder, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<OneDriveOptions>>().Value;
                ReadOnlyRetryPipeline.Configure(builder, total: options.RequestTimeout * 2, perAttempt: options.RequestTimeout, isRead: request => request.Method == HttpMethod.Get, handBackRetryAfter: true);
            });

        services.TryAddSingleton(sp => new OneDriveConnector(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<OAuthTokenKeeper>(),
            sp.GetRequiredService<OneDriveAppTokens>(),
            sp.GetRequiredService<ISecretStore>(),
            sp.GetRequiredService<IOptions<OneDriveOptions>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, OneDriveConnector>(sp => sp.GetRequiredService<OneDriveConnector>()));
        return services;
    }
}
