using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Koppel.Functions.Tests.Support;

/// <summary>
/// The Functions app's HTTP functions in their own DI container, built from the settings template, on Azurite instead
/// of the template's storage account and Data Protection instead of Key Vault. No Service Bus broker runs here: the
/// work queue records what would be sent (<see cref="Sent"/>). A function key acts for every dossier.
/// </summary>
public sealed class FunctionsApi(AzuriteFixture azurite) : IDisposable
{
    private readonly string _keyRing = Directory.CreateTempSubdirectory("koppel-fn-keys-").FullName;
    private readonly NoBrokerWorkQueue _sent = new();
    private IHost? _host;

    public HttpClient Client { get; private set; } = null!;

    public IServiceProvider Services => _host!.Services;

    /// <summary>What would have gone to the Service Bus queue (its mapping is tested in Koppel.Azure.Tests).</summary>
    public IReadOnlyList<DeliveryRequest> Sent => _sent.Sent;

    public Task StartAsync()
    {
        var settings = SettingsTemplate.Values();
        settings.Remove("Koppel:Azure:KeyVaultUri");
        settings["Koppel:Azure:StorageConnectionString"] = azurite.ConnectionString;
        settings["Koppel:Azure:NamePrefix"] = "f" + Guid.NewGuid().ToString("N")[..10];
        settings["Koppel:Azure:KeyRingDirectory"] = _keyRing;
        var (certificate, key) = KeyRingCertificate.CreateIn(_keyRing + "-certificate");
        settings["Koppel:Azure:KeyRingCertificatePath"] = certificate;
        settings["Koppel:Azure:KeyRingCertificateKeyPath"] = key;
        _host = FunctionsHost.Build(settings, services =>
        {
            services.RemoveAll<IWorkQueue>();
            services.AddSingleton<IWorkQueue>(_sent);
        });
        Client = new HttpClient(new FunctionsHttpHandler(_host.Services)) { BaseAddress = new Uri("https://koppel-test.azurewebsites.net") };
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Client?.Dispose();
        _host?.Dispose();
        Directory.Delete(_keyRing, recursive: true);
    }

    private sealed class NoBrokerWorkQueue : IWorkQueue
    {
        public List<DeliveryRequest> Sent { get; } = [];

        public Task EnqueueAsync(DeliveryRequest request, TimeSpan? delay, CancellationToken cancellationToken)
        {
            lock (Sent)
            {
                Sent.Add(request);
            }

            return Task.CompletedTask;
        }
    }
}
