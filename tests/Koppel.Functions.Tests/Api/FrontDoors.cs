using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Functions.Tests.Support;
using Koppel.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Koppel.Functions.Tests.Api;

/// <summary>The API contract against the self-hosted server on Kestrel, with an API key for every dossier; no background workers.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class The_self_hosted_api(AzuriteFixture azurite) : ApiContract
{
    private readonly ServerSettings _settings = new(azurite.ConnectionString, Path.Combine(Path.GetTempPath(), "koppel-api-" + Guid.NewGuid().ToString("N")[..8]));
    private InProcessServer? _server;

    protected override string CallerName => "integration-team";

    protected override async Task<HttpClient> StartAsync()
    {
        _settings.Values["Koppel:Server:RunWorkers"] = "false";
        _server = await InProcessServer.StartAsync(_settings);
        return _server.Client(_settings.AdminKey);
    }

    protected override async Task StopAsync()
    {
        await _server!.DisposeAsync();
        Directory.Delete(_settings.WorkDirectory, recursive: true);
    }
}

/// <summary>
/// The API contract against the Functions app's HTTP functions, in its own DI container built from the settings
/// template, on Azurite instead of the template's storage account and Data Protection instead of Key Vault. No Service
/// Bus broker runs here: the work queue records what would be sent. A function key acts for every dossier.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class The_functions_api(AzuriteFixture azurite) : ApiContract
{
    private readonly string _keyRing = Directory.CreateTempSubdirectory("koppel-fn-keys-").FullName;
    private IHost? _host;

    protected override string CallerName => "function-key";

    protected override Task<HttpClient> StartAsync()
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
            services.AddSingleton<IWorkQueue, NoBrokerWorkQueue>();
        });
        return Task.FromResult(new HttpClient(new FunctionsHttpHandler(_host.Services)) { BaseAddress = new Uri("https://koppel-test.azurewebsites.net") });
    }

    protected override Task StopAsync()
    {
        _host!.Dispose();
        Directory.Delete(_keyRing, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Takes what would go to Service Bus (its mapping is tested in Koppel.Azure.Tests) and keeps it.</summary>
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
