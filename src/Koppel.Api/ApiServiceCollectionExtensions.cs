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
        services.TryAddSingleton<Functions.FunctionRequests>();
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        return services;
    }
}
