using Koppel.Connectors.Email;
using Koppel.Connectors.LocalFolder;
using Koppel.Connectors.Octopus;
using Koppel.Connectors.Sftp;
using Koppel.Connectors.Venice;
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, LocalFolderConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, SftpConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, EmailConnector>());
        services.AddOctopusConnector();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, OctopusEmailConnector>());
        services.AddVeniceConnector();
        return services;
    }
}
