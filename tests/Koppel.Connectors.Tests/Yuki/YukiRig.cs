using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Formats.Sniffing;
using Koppel.ProviderFakes;
using Koppel.ProviderFakes.Yuki;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Connectors.Tests.Yuki;

/// <summary>The Yuki fake on a free port, and Yuki connectors built the way the hosts build them, pointed at it.</summary>
public sealed class YukiRig : IAsyncDisposable
{
    public const string DomainKey = "5E1C7A2B-SECRET-DOMAIN-KEY-4417";
    public const string AdministrationKey = "9B04D11F-SECRET-ADMIN-KEY-9051";
    public const string Domain = "d7a1f5c2-domain";
    public static readonly Guid Bakkerij = new("a1b2c3d4-0000-4000-8000-000000000001");
    public static readonly Guid Slagerij = new("a1b2c3d4-0000-4000-8000-000000000002");

    private readonly List<ServiceProvider> _providers = [];

    private YukiRig(YukiFake fake, ProviderFakesHost host)
    {
        Fake = fake;
        Host = host;
    }

    public YukiFake Fake { get; }

    public ProviderFakesHost Host { get; }

    public static async Task<YukiRig> StartAsync()
    {
        var fake = new YukiFake();
        fake.AddDomainKey(DomainKey, Domain, (Bakkerij, "Bakkerij Peeters BV"), (Slagerij, "Slagerij Peeters BV"));
        fake.AddAdministrationKey(AdministrationKey, Domain, Bakkerij, "Bakkerij Peeters BV");
        return new YukiRig(fake, await ProviderFakesHost.StartAsync([fake]));
    }

    /// <summary>A connector as one Koppel instance has it (its own session cache); instances may share a quota counter.</summary>
    public IConnector NewConnector(IDailyQuota? sharedQuota = null, string? belgianBaseUrl = null)
    {
        var baseUrl = new Uri(Host.BaseUrlOf(Fake), "ws/").ToString();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Koppel:Providers:Yuki:BaseUrl"] = belgianBaseUrl ?? baseUrl,
                ["Koppel:Providers:Yuki:BaseUrlNl"] = baseUrl,
            })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<Koppel.Core.Ports.ISecretStore>(new Koppel.Core.Tests.Fakes.InMemoryPorts());
        if (sharedQuota is not null)
        {
            services.AddSingleton(sharedQuota);
        }

        var provider = services.AddKoppelConnectors().BuildServiceProvider();
        _providers.Add(provider);
        return provider.GetServices<IConnector>().Single(c => c.Descriptor.Provider == "yuki");
    }

    public static ConnectorSettings Settings(string key = DomainKey, Guid? administration = null, params (string Name, string Value)[] options)
    {
        var values = new Dictionary<string, string>
        {
            ["administrationId"] = (administration ?? Bakkerij).ToString(),
            ["glAccountCode"] = "700000",
        };
        foreach (var (name, value) in options)
        {
            values[name] = value;
        }

        return TestDeliveries.Settings(values, new Dictionary<string, string> { ["apiKey"] = key });
    }

    public static ConnectorSettings SettingsWithout(string option, string key = DomainKey)
    {
        var values = new Dictionary<string, string> { ["administrationId"] = Bakkerij.ToString(), ["glAccountCode"] = "700000" };
        values.Remove(option);
        return TestDeliveries.Settings(values, new Dictionary<string, string> { ["apiKey"] = key });
    }

    public static string SamplePath(string name) => Path.Combine(TestServices.RepoRoot, "samples", name);

    /// <summary>samples/demo-invoice.xml as a sales invoice, with its embedded PDF archived beside it.</summary>
    public static TestDocument SalesInvoice()
    {
        var document = new TestDocument("demo-invoice.xml", File.ReadAllBytes(SamplePath("demo-invoice.xml")), DocumentKind.SalesInvoice, DocumentFormat.UblInvoice, "KOP-2026-0042");
        return document.WithAttachment("KOP-2026-0042.pdf", "application/pdf", EmbeddedPdf);
    }

    public static TestDocument SalesCreditNote() =>
        new("demo-credit-note.xml", File.ReadAllBytes(SamplePath("demo-credit-note.xml")), DocumentKind.SalesInvoice, DocumentFormat.UblCreditNote, "MOL-CN-118");

    public static TestDocument PurchaseInvoice() =>
        new TestDocument("demo-invoice.xml", File.ReadAllBytes(SamplePath("demo-invoice.xml")), DocumentKind.PurchaseInvoice, DocumentFormat.UblInvoice, "KOP-2026-0042")
            .WithAttachment("KOP-2026-0042.pdf", "application/pdf", EmbeddedPdf);

    public static TestDocument Coda() =>
        new("demo.cod", File.ReadAllBytes(SamplePath("demo.cod")), DocumentKind.BankStatement, DocumentFormat.Coda, null);

    public static TestDocument Pdf(DocumentKind kind, int seed) =>
        new($"scan-{seed}.pdf", [.. "%PDF-1.4\n"u8, .. TestDeliveries.RandomBytes(2000, seed)], kind, DocumentFormat.Pdf, null);

    public static byte[] EmbeddedPdf { get; } = [.. "%PDF-1.4\n"u8, .. TestDeliveries.RandomBytes(500, 42)];

    public static DeliveryContext Context(TestDocument document, ConnectorSettings settings) =>
        TestDeliveries.Context(document, settings, "yuki");

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await Host.DisposeAsync();
    }
}

/// <summary>A shared quota counter whose calendar can be moved on, to see what happens the next day.</summary>
public sealed class CalendarQuota(IDailyQuota inner) : IDailyQuota
{
    public int DaysAhead { get; set; }

    public Task<bool> TryConsumeAsync(string scope, DateOnly day, int calls, int limit, CancellationToken cancellationToken) =>
        inner.TryConsumeAsync(scope, day.AddDays(DaysAhead), calls, limit, cancellationToken);

    public Task<int> UsedAsync(string scope, DateOnly day, CancellationToken cancellationToken) =>
        inner.UsedAsync(scope, day.AddDays(DaysAhead), cancellationToken);
}
