using Koppel.Connectors.ExactOnline;
using Koppel.Connectors.Tests.Support;
using Koppel.Connectors.Yuki;
using Koppel.Core;
using Koppel.Core.Connectors;
using Koppel.Core.Delivery;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Export;
using Koppel.Core.Ingestion;
using Koppel.Core.Payments;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;
using Koppel.ProviderFakes;
using Koppel.ProviderFakes.ExactOnline;
using Koppel.ProviderFakes.Yuki;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Connectors.Tests.Payments;

/// <summary>
/// Koppel's own handlers (ingest, delivery, payment polls, bank matching) over in-memory ports, with the real Yuki and
/// Exact Online connectors pointed at their fakes: a document travels the way it does in production, and the fakes
/// play the customer paying.
/// </summary>
public sealed class PaymentsRig : IAsyncDisposable
{
    public const string DossierId = "0403170701";
    public const string YukiKey = "3F0A77C1-SECRET-YUKI-DOMAIN-KEY";
    public const int Division = 4711;
    public static readonly Guid Administration = new("c0ffee00-0000-4000-8000-000000000001");

    private readonly ServiceProvider _services;

    private PaymentsRig(ProviderFakesHost host, YukiFake yuki, ExactOnlineFake exact, ServiceProvider services)
    {
        Host = host;
        Yuki = yuki;
        Exact = exact;
        _services = services;
    }

    public ProviderFakesHost Host { get; }

    public YukiFake Yuki { get; }

    public ExactOnlineFake Exact { get; }

    public InMemoryPorts Ports => _services.GetRequiredService<InMemoryPorts>();

    public InMemoryPaymentStore Payments => _services.GetRequiredService<InMemoryPaymentStore>();

    public List<PollJob> PollJobs => _services.GetRequiredService<CapturedPollJobs>().Jobs;

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public static async Task<PaymentsRig> StartAsync()
    {
        var yuki = new YukiFake();
        yuki.AddDomainKey(YukiKey, "peeters-domain", (Administration, "Demo Bakkerij BV"));
        var exact = new ExactOnlineFake();
        exact.AddGLAccount(Division, "700000", "Omzet");
        exact.AddGLAccount(Division, "604000", "Aankopen");
        var host = await ProviderFakesHost.StartAsync([yuki, exact]);

        var ports = new InMemoryPorts();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Koppel:Providers:Yuki:BaseUrl"] = new Uri(host.BaseUrlOf(yuki), "ws/").ToString(),
            [$"{ExactOnlineOptions.SectionName}:BaseUrl"] = host.BaseUrlOf(exact).ToString(),
            [$"{ExactOnlineOptions.SectionName}:ClientId"] = exact.ClientId,
            [$"{ExactOnlineOptions.SectionName}:RedirectUri"] = exact.RedirectUri,
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton(ports)
            .AddSingleton<IInbox>(ports)
            .AddSingleton<IDocumentArchive>(ports)
            .AddSingleton<IQuarantine>(ports)
            .AddSingleton<IDossierRepository>(ports)
            .AddSingleton<IConnectionRepository>(ports)
            .AddSingleton<IDocumentRepository>(ports)
            .AddSingleton<IDeliveryLedger>(ports)
            .AddSingleton<IRunLog>(ports)
            .AddSingleton<IDocumentHistory>(ports)
            .AddSingleton<IWorkQueue>(ports)
            .AddSingleton<ISecretStore>(ports)
            .AddSingleton<IExportJobQueue>(ports)
            .AddSingleton<InMemoryPaymentStore>()
            .AddSingleton<IPaymentStore>(sp => sp.GetRequiredService<InMemoryPaymentStore>())
            .AddSingleton<IPollSlotClaims, InMemoryPollSlotClaims>()
            .AddSingleton<CapturedPollJobs>()
            .AddSingleton<IPollJobQueue>(sp => sp.GetRequiredService<CapturedPollJobs>())
            .AddKoppelCore()
            .AddKoppelConnectors()
            .BuildServiceProvider();
        var rig = new PaymentsRig(host, yuki, exact, services);
        await ((ISecretStore)ports).SetAsync("exact-online-client-secret", exact.ClientSecret, CancellationToken.None);
        await rig.Get<DossierService>().CreateAsync(new DossierInput("Demo Bakkerij BV", DossierId, null, null, null), Caller.System, CancellationToken.None);
        return rig;
    }

    /// <summary>A Yuki connection of the dossier that books sales invoices in <see cref="Administration"/>.</summary>
    public Task<Connection> ConnectYukiAsync(params (string Name, string Value)[] options) =>
        Get<ConnectionService>().CreateAsync(
            DossierId,
            new ConnectionInput(
                YukiConnector.ProviderKey,
                "Yuki",
                ["SalesInvoice"],
                new Dictionary<string, string>(options.Select(o => KeyValuePair.Create(o.Name, o.Value))) { ["administrationId"] = Administration.ToString(), ["glAccountCode"] = "700000" },
                new Dictionary<string, string> { ["apiKey"] = YukiKey },
                true),
            Caller.System,
            CancellationToken.None);

    /// <summary>An Exact Online connection that books sales invoices in <see cref="Division"/>, with the Exact user's consent given.</summary>
    public async Task<Connection> ConnectExactAsync(params (string Name, string Value)[] extra)
    {
        var user = Exact.AddUser("An Peeters", Division);
        var connector = Get<ExactOnlineConnector>();
        var options = new Dictionary<string, string>
        {
            ["country"] = "be",
            [ExactOnlineSettings.DivisionKey] = Division.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [ExactOnlineSettings.SalesModeKey] = "book",
            [ExactOnlineSettings.SalesJournalKey] = "70",
            [ExactOnlineSettings.SalesGLAccountKey] = "700000",
            [ExactOnlineSettings.VatCodesKey] = "21=4;12=3;6=2;0=0;AE=10",
        };
        foreach (var (name, value) in extra)
        {
            options[name] = value;
        }

        var connection = await Get<ConnectionService>().CreateAsync(
            DossierId,
            new ConnectionInput(ExactOnlineConnector.ProviderKey, "Exact Online", ["SalesInvoice"], options, null, true),
            Caller.System,
            CancellationToken.None);

        // What the consent callback stores (ConsentService): the consent id as the connection's only credential.
        var consent = await connector.CompleteConsentAsync(new ConnectorSettings(options, new Dictionary<string, string>()), Exact.IssueCode(user), CancellationToken.None);
        var secretName = ConnectionService.SecretNameFor(DossierId, connection.Id);
        await ((ISecretStore)Ports).SetAsync(secretName, System.Text.Json.JsonSerializer.Serialize(consent.ConnectionCredentials), CancellationToken.None);
        connection = connection with { SecretName = secretName };
        await ((IConnectionRepository)Ports).UpsertAsync(connection, CancellationToken.None);
        return connection;
    }

    /// <summary>Drops the file in the dossier's inbox and ingests it (as the blob trigger or the server's poller does).</summary>
    public async Task<string> IngestAsync(string fileName, byte[] content)
    {
        var result = await Get<IngestHandler>().HandleAsync(Ports.Drop(DossierId, fileName, content), CancellationToken.None);
        return result.DocumentId ?? throw new InvalidOperationException($"{fileName} was not accepted: {result.Reason?.Message}");
    }

    /// <summary>Runs every queued delivery once (the fakes answer at once).</summary>
    public async Task DeliverAllAsync()
    {
        while (Ports.Queued.Count > 0)
        {
            var (request, _) = Ports.Queued[0];
            Ports.Queued.RemoveAt(0);
            await Get<DeliveryHandler>().HandleAsync(request, CancellationToken.None);
        }
    }

    /// <summary>Runs one relation sync of the connection (as the queue trigger would).</summary>
    public Task<Koppel.Core.Relations.RelationSyncSummary?> SyncRelationsAsync(Connection connection, bool full = false) =>
        Get<Koppel.Core.Relations.RelationSyncHandler>().RunAsync(new Koppel.Core.Relations.RelationSyncJob { DossierId = DossierId, ConnectionId = connection.Id, Full = full }, CancellationToken.None);

    public IReadOnlyList<HistoryEntry> PartyHistory(string documentId) =>
        [.. Ports.History.Where(h => h.DocumentId == documentId && h.Event == HistoryEvent.Party)];

    public Task<PaymentPollSummary?> PollAsync(Connection connection, string slot = "test") =>
        Get<PaymentPollHandler>().RunAsync(new PollJob { DossierId = DossierId, ConnectionId = connection.Id, Slot = slot }, CancellationToken.None);

    public IReadOnlyList<HistoryEntry> PaymentHistory(string documentId) =>
        [.. Ports.History.Where(h => h.DocumentId == documentId && h.Event == HistoryEvent.Payment)];

    public IReadOnlyList<PaymentRecord> PaymentsOf(string documentId) =>
        [.. Payments.AllPayments.Where(p => p.DocumentId == documentId)];

    public async Task<TrackedInvoice> InvoiceAsync(string documentId) =>
        await Payments.GetInvoiceAsync(DossierId, documentId, CancellationToken.None) ?? throw new InvalidOperationException("not followed");

    /// <summary>Today in Brussels, as a payment seen by a poll is dated.</summary>
    public static string Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels")).DateTime).ToString("dd-MM-yyyy", System.Globalization.CultureInfo.InvariantCulture);

    public static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(TestServices.RepoRoot, "samples", name));

    public static byte[] Invoice => Sample("demo-invoice.xml");

    /// <summary>samples/demo-invoice.xml with another number, payable amount and structured communication.</summary>
    public static byte[] InvoiceNumbered(string number, string structuredReference) =>
        System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(Invoice)
            .Replace("<cbc:ID>KOP-2026-0042</cbc:ID>", $"<cbc:ID>{number}</cbc:ID>", StringComparison.Ordinal)
            .Replace("+++090/9337/55493+++", structuredReference, StringComparison.Ordinal));

    /// <summary>A sales credit note of the demo dossier crediting KOP-2026-0042 in full (made from the demo invoice).</summary>
    public static byte[] CreditNoteForDemoInvoice =>
        System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(Invoice)
            .Replace("urn:oasis:names:specification:ubl:schema:xsd:Invoice-2", "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2", StringComparison.Ordinal)
            .Replace("<Invoice ", "<CreditNote ", StringComparison.Ordinal)
            .Replace("</Invoice>", "</CreditNote>", StringComparison.Ordinal)
            .Replace("<cbc:ID>KOP-2026-0042</cbc:ID>", "<cbc:ID>KOP-2026-CN-0007</cbc:ID>", StringComparison.Ordinal)
            .Replace("<cbc:DueDate>2026-12-02</cbc:DueDate>", string.Empty, StringComparison.Ordinal)
            .Replace("<cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>", "<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>", StringComparison.Ordinal)
            .Replace("<cac:AdditionalDocumentReference>", "<cac:BillingReference><cac:InvoiceDocumentReference><cbc:ID>KOP-2026-0042</cbc:ID></cac:InvoiceDocumentReference></cac:BillingReference>\n  <cac:AdditionalDocumentReference>", StringComparison.Ordinal)
            .Replace("cac:InvoiceLine>", "cac:CreditNoteLine>", StringComparison.Ordinal)
            .Replace("cbc:InvoicedQuantity", "cbc:CreditedQuantity", StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Host.DisposeAsync();
    }

    /// <summary>The poll queue as a broker would hold it.</summary>
    public sealed class CapturedPollJobs : IPollJobQueue
    {
        public List<PollJob> Jobs { get; } = [];

        public Task EnqueueAsync(PollJob job, CancellationToken cancellationToken)
        {
            lock (Jobs)
            {
                Jobs.Add(job);
            }

            return Task.CompletedTask;
        }
    }
}
