using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Koppel.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>Registers <see cref="KoppelApi"/>, the API's JSON settings and problem details. Call after AddKoppelCore.</summary>
    public static IServiceCollection AddKoppelApi(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<KoppelApi>();
        services.TryAddSingleton<WebhooksApi>();
        services.TryAddSingleton<PageTokens>();
        services.TryAddSingleton<Functions.FunctionRequests>();

        // OAuth consent states are sealed with the host's Data Protection key ring (AddDataProtection is idempotent).
        services.AddDataProtection();
        services.TryAddSingleton<Koppel.Core.Security.IConsentStateProtector, ConsentStateProtector>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        return services;
    }
}
