using Koppel.Connectors.Common;
using Koppel.Connectors.Email;
using Koppel.Connectors.LocalFolder;
using Koppel.Connectors.Sftp;
using Koppel.Core.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Koppel.Connectors;

public static class ConnectorsServiceCollectionExtensions
{
    /// <summary>
    /// Registers every connector of this assembly as an <see cref="IConnector"/> singleton (they are stateless).
    /// Safe to call twice.
    /// </summary>
    public static IServiceCollection AddKoppelConnectors(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<NetworkGuardOptions>().BindConfiguration(NetworkGuardOptions.Section);
        services.AddOptions<LocalFolderOptions>().BindConfiguration(LocalFolderOptions.Section);
        services.TryAddSingleton<NetworkGuard>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, LocalFolderConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, SftpConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, EmailConnector>());
        return services;
    }
}
