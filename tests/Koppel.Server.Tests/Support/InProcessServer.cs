using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Koppel.Server.Tests.Support;

/// <summary>The real server, started inside the test process on a free loopback port.</summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="logs">Also receives every log line the server writes (tests that prove no secret is logged).</param>
    /// <param name="configure">More set-up of the host, after the settings (a test's trust in its own TLS certificate).</param>
    public static async Task<InProcessServer> StartAsync(ServerSettings settings, ILoggerProvider? logs = null, Action<WebApplicationBuilder>? configure = null)
    {
        var app = KoppelServer.Build([], builder =>
        {
            configure?.Invoke(builder);
            builder.Configuration.AddInMemoryCollection(settings.Values);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InProcessServer(app, new Uri(address));
    }

    public HttpClient Client(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
