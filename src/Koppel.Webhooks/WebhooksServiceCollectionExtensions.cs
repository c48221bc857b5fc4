using Koppel.Connectors.Common;
using Koppel.Core.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;

namespace Koppel.Webhooks;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>
    /// Registers the webhook sender and the URL check behind the Core's event ports. Needs the network guard (registered
    /// with the connectors) and <see cref="WebhookOptions"/> (the Core's).
    /// </summary>
    public static IServiceCollection AddKoppelWebhooks(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<WebhookHttpOptions>();
        services.TryAddSingleton<IUrlGuard, GuardedUrls>();
        services.TryAddSingleton<IWebhookSender, WebhookSender>();
        services.AddHttpClient(WebhookSender.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookSender.CreateHandler(
                sp.GetRequiredService<NetworkGuard>(), sp.GetRequiredService<IOptions<WebhookHttpOptions>>().Value))
            .AddResilienceHandler("webhooks", (pipeline, context) =>
                pipeline.AddTimeout(context.ServiceProvider.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout));
        return services;
    }
}
