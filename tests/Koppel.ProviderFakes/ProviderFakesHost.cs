using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Koppel.ProviderFakes;

/// <summary>A Kestrel app on 127.0.0.1 that serves the given fakes, each under its own path prefix.</summary>
public sealed class ProviderFakesHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ProviderFakesHost(WebApplication app, Uri root)
    {
        _app = app;
        Root = root;
    }

    public Uri Root { get; }

    /// <summary>The base URL a connector is configured with to reach <paramref name="fake"/>.</summary>
    public Uri BaseUrlOf(IProviderFake fake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        return new Uri(Root, fake.PathPrefix + "/");
    }

    public static async Task<ProviderFakesHost> StartAsync(IReadOnlyCollection<IProviderFake> fakes, int port = 0, ILoggerProvider? logger = null)
    {
        ArgumentNullException.ThrowIfNull(fakes);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (logger is not null)
        {
            builder.Logging.AddProvider(logger);
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        foreach (var fake in fakes)
        {
            fake.Map(app.MapGroup("/" + fake.PathPrefix));
        }

        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ProviderFakesHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Until the process is asked to stop (Ctrl+C or SIGTERM, as scripts/dev.sh stops the sandbox).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
