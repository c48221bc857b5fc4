using System.Collections.Concurrent;
using System.Text.Json;
using Koppel.Connectors.ExactOnline;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Core.Tests.Fakes;
using Koppel.Formats.Sniffing;
using Koppel.ProviderFakes;
using Koppel.ProviderFakes.ExactOnline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Koppel.Connectors.Tests.ExactOnline;

/// <summary>
/// The Exact fake on a free port, one Exact user with division <see cref="Division"/>, and "processes": each
/// <see cref="NewProcess"/> is a separate service provider (own memory cache, own HTTP clients) sharing the secret store
/// and the refresh lease, like two workers of one installation.
/// </summary>
public sealed class ExactHarness : IAsyncDisposable
{
    public const int Division = 4711;
    public const string SalesGL = "700000";
    public const string PurchaseGL = "604000";

    private readonly List<ServiceProvider> _processes = [];

    private ExactHarness(ProviderFakesHost host, ExactOnlineFake fake, TimeProvider? clock)
    {
        Host = host;
        Fake = fake;
        Clock = clock;
        User = fake.AddUser("An Peeters", Division);
        fake.AddGLAccount(Division, SalesGL, "Sales of goods");
        fake.AddGLAccount(Division, PurchaseGL, "Purchases");
        Leases = new InMemoryOAuthRefreshLeases(clock ?? TimeProvider.System);
    }

    public ProviderFakesHost Host { get; }

    public ExactOnlineFake Fake { get; }

    public TimeProvider? Clock { get; }

    public Guid User { get; }

    /// <summary>The secret store every process shares (also the dossier/connection ports for API tests).</summary>
    public InMemoryPorts Ports { get; } = new();

    public IOAuthRefreshLeases Leases { get; }

    public LogSink Logs { get; } = new();

    public static async Task<ExactHarness> StartAsync(TimeProvider? clock = null)
    {
        var fake = new ExactOnlineFake(clock);
        var host = await ProviderFakesHost.StartAsync([fake]);
        var harness = new ExactHarness(host, fake, clock);
        await ((ISecretStore)harness.Ports).SetAsync("exact-online-client-secret", fake.ClientSecret, CancellationToken.None);
        return harness;
    }

    /// <summary>Extra operator settings (e.g. lower call limits) for the processes made after setting them.</summary>
    public Dictionary<string, string?> ExtraConfiguration { get; } = [];

    public IReadOnlyDictionary<string, string?> Configuration => new Dictionary<string, string?>(ExtraConfiguration)
    {
        [$"{ExactOnlineOptions.SectionName}:BaseUrl"] = Host.BaseUrlOf(Fake).ToString(),
        [$"{ExactOnlineOptions.SectionName}:ClientId"] = Fake.ClientId,
        [$"{ExactOnlineOptions.SectionName}:RedirectUri"] = Fake.RedirectUri,
        [$"{ExactOnlineOptions.SectionName}:ReadRetryDelay"] = "00:00:00.050",
    };

    /// <summary>The services one worker process has: the connectors, its own caches, the shared secret store and lease.</summary>
    public void AddServices(IServiceCollection services)
    {
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(Configuration).Build());
        services.AddLogging(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
        services.AddSingleton<ISecretStore>(Ports);
        services.AddSingleton(Leases);
        if (Clock is not null)
        {
            services.AddSingleton(Clock);
        }

        services.AddKoppelConnectors();
    }

    public ExactOnlineConnector NewProcess()
    {
        var services = new ServiceCollection();
        AddServices(services);
        var provider = services.BuildServiceProvider();
        _processes.Add(provider);
        return provider.GetRequiredService<ExactOnlineConnector>();
    }

    /// <summary>The Exact user consents (as the API's callback would do it); returns the consent id the connection keeps.</summary>
    public Task<string> ConsentAsync(ExactOnlineConnector connector) => ConsentAsyncFor(connector, User);

    public async Task<string> ConsentAsyncFor(ExactOnlineConnector connector, Guid user)
    {
        var result = await connector.CompleteConsentAsync(Settings(consentId: null), Fake.IssueCode(user), CancellationToken.None);
        return result.ConnectionCredentials[ExactOnlineSettings.ConsentIdKey];
    }

    public static ConnectorSettings Settings(string? consentId, string salesMode = "postbox", string purchaseMode = "postbox", int? division = Division)
    {
        var options = new Dictionary<string, string>
        {
            ["country"] = "be",
            [ExactOnlineSettings.SalesModeKey] = salesMode,
            [ExactOnlineSettings.PurchaseModeKey] = purchaseMode,
            [ExactOnlineSettings.SalesJournalKey] = "70",
            [ExactOnlineSettings.PurchaseJournalKey] = "60",
            [ExactOnlineSettings.SalesGLAccountKey] = SalesGL,
            [ExactOnlineSettings.PurchaseGLAccountKey] = PurchaseGL,
            [ExactOnlineSettings.VatCodesKey] = "21=4;12=3;6=2;0=0;AE=10",
        };
        if (division is not null)
        {
            options[ExactOnlineSettings.DivisionKey] = division.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var secrets = consentId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [ExactOnlineSettings.ConsentIdKey] = consentId };
        return TestDeliveries.Settings(options, secrets);
    }

    /// <summary>The tokens as stored for the consent in the secret store.</summary>
    public JsonElement StoredTokens(string consentId)
    {
        var json = Ports.Secrets[$"oauth-exact-online-{consentId}"];
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    public static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(TestServices.RepoRoot, "samples", name));

    public static readonly byte[] PdfBytes = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"u8.ToArray();

    public static TestDocument SalesInvoice() =>
        new TestDocument("demo-invoice.xml", Sample("demo-invoice.xml"), DocumentKind.SalesInvoice, DocumentFormat.UblInvoice, "KOP-2026-0042")
            .WithAttachment("KOP-2026-0042.pdf", "application/pdf", PdfBytes);

    public static TestDocument PurchaseInvoice() =>
        new TestDocument("demo-invoice.xml", Sample("demo-invoice.xml"), DocumentKind.PurchaseInvoice, DocumentFormat.UblInvoice, "KOP-2026-0042")
            .WithAttachment("KOP-2026-0042.pdf", "application/pdf", PdfBytes);

    public static TestDocument CreditNote(DocumentKind kind) =>
        new("demo-credit-note.xml", Sample("demo-credit-note.xml"), kind, DocumentFormat.UblCreditNote, null);

    public static TestDocument Coda() => new("demo.cod", Sample("demo.cod"), DocumentKind.BankStatement, DocumentFormat.Coda, null);

    public static TestDocument Pdf(DocumentKind kind) => new($"scan-{kind}.pdf", PdfBytes, kind, DocumentFormat.Pdf, null);

    public static DeliveryContext Context(TestDocument document, ConnectorSettings settings, string? deliveryId = null) =>
        TestDeliveries.Context(document, settings, ExactOnlineConnector.ProviderKey, deliveryId ?? "d" + Guid.NewGuid().ToString("N"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await Host.DisposeAsync();
    }
}

/// <summary>Every log line any process wrote, with exceptions, to prove no secret is ever logged.</summary>
public sealed class LogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
