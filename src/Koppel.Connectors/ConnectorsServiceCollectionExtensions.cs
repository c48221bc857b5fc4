using Koppel.Connectors.BoCount;
using Koppel.Connectors.Common;
using Koppel.Connectors.CountE;
using Koppel.Connectors.Dropbox;
using Koppel.Connectors.Email;
using Koppel.Connectors.ExactOnline;
using Koppel.Connectors.LocalFolder;
using Koppel.Connectors.Lyanthe;
using Koppel.Connectors.Octopus;
using Koppel.Connectors.Onea;
using Koppel.Connectors.OneDrive;
using Koppel.Connectors.PingWin;
using Koppel.Connectors.Sftp;
using Koppel.Connectors.Venice;
using Koppel.Connectors.WingsOnline;
using Koppel.Connectors.Yokoy;
using Koppel.Connectors.Yuki;
using Koppel.Connectors.Zenvoices;
using Koppel.Core.Connectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Koppel.Connectors;

public static class ConnectorsServiceCollectionExtensions
{
    /// <summary>
    /// Registers every connector of this assembly as an <see cref="IConnector"/> singleton (they are stateless),
    /// with what they need (Yuki: its HttpClient, options from <c>Koppel:Providers:Yuki</c>, a daily call counter).
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
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, LyantheEmailConnector>());
        services.AddExactOnline();
        services.AddYokoyConnector();
        services.AddYukiConnector();
        services.AddZenvoicesConnector();
        services.AddOctopusConnector();
        services.AddOneaConnector();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, OctopusEmailConnector>());
        services.AddVeniceConnector();
        services.AddDropbox();
        services.AddOneDrive();

        // Packages without a public document API: their fields, delivered through e-mail or SFTP (Common/PendingApiConnector).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, BoCountConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, CountEConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, PingWinConnector>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConnector, WingsOnlineConnector>());
        return services;
    }
}
