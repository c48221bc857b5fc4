using System.Net;
using Koppel.Connectors.Tests.ExactOnline;
using Koppel.Core.Ports;
using Koppel.Core.Tests.Fakes;
using Koppel.ProviderFakes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Koppel.Connectors.Tests.Support;

/// <summary>
/// An OAuth provider's fake on a free port and Koppel's connectors wired as the hosts wire them, on a fake clock, with
/// the operator settings pointing at the fake, a shared in-memory secret store and every log line kept.
/// </summary>
public sealed class DriveHarness<TFake> : IAsyncDisposable
    where TFake : IProviderFake
{
    private readonly List<ServiceProvider> _processes = [];

    internal DriveHarness(TFake fake, ProviderFakesHost host, FakeTimeProvider clock)
    {
        Fake = fake;
        Host = host;
        Clock = clock;
    }

    public TFake Fake { get; }

    public ProviderFakesHost Host { get; }

    public FakeTimeProvider Clock { get; }

    public Uri BaseUrl => Host.BaseUrlOf(Fake);

    public InMemoryPorts Ports { get; } = new();

    /// <summary>The secret store the connectors use; tests may wrap <see cref="Ports"/> to watch it.</summary>
    public ISecretStore Secrets { get; set; } = null!;

    public LogSink Logs { get; } = new();

    public Dictionary<string, string?> Configuration { get; } = [];

    /// <summary>A worker process: its own caches and HTTP clients, the shared secret store.</summary>
    public TConnector NewProcess<TConnector>()
        where TConnector : notnull
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(Configuration).Build());
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton(Secrets);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddKoppelConnectors();
        var provider = services.BuildServiceProvider();
        _processes.Add(provider);
        return provider.GetRequiredService<TConnector>();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await Host.DisposeAsync();
    }
}

public static class DriveHarness
{
    public static async Task<DriveHarness<TFake>> StartAsync<TFake>(TFake fake, FakeTimeProvider clock)
        where TFake : IProviderFake
    {
        var host = await ProviderFakesHost.StartAsync([fake]);
        var harness = new DriveHarness<TFake>(fake, host, clock);
        harness.Secrets = harness.Ports;
        return harness;
    }

    /// <summary>Opens an authorisation URL as a browser would and returns the code the provider redirects back with (state checked).</summary>
    public static async Task<string> SignInAsync(Uri authorizationUrl, string state)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(authorizationUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = System.Web.HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        Assert.Equal(state, query["state"]);
        return query["code"]!;
    }
}

/// <summary>A secret store that tells, at every write, what was written, so a test can see the order of events.</summary>
public sealed class WatchedSecretStore(ISecretStore inner, Action<string, string> onSet) : ISecretStore
{
    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        await inner.SetAsync(name, value, cancellationToken);
        onSet(name, value);
    }

    public Task<string?> GetAsync(string name, CancellationToken cancellationToken) => inner.GetAsync(name, cancellationToken);

    public Task DeleteAsync(string name, CancellationToken cancellationToken) => inner.DeleteAsync(name, cancellationToken);
}
