using Koppel.Connectors.Onea;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using Koppel.ProviderFakes.Onea;

namespace Koppel.Connectors.Tests.Onea;

public sealed class OneaConnectorTests : IAsyncLifetime
{
    private ProviderFakeHarness<OneaFake> _harness = null!;

    private OneaFake Fake => _harness.Fake;

    private IConnector Connector => _harness.Connector(OneaConnector.ProviderKey);

    public async Task InitializeAsync()
    {
        _harness = await ProviderFakeHarness.StartAsync(new OneaFake(), baseUrl => new Dictionary<string, string?>
        {
            ["Koppel:Providers:Onea:BaseUrl"] = baseUrl.ToString(),
        });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static ConnectorSettings Settings(string key = OneaFake.ApiKey, string platform = "venice") =>
        TestDeliveries.Settings(new Dictionary<string, string> { ["platform"] = platform }, new Dictionary<string, string> { ["apiKey"] = key });

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(TestServices.RepoRoot, "samples", name));

    private Task<DeliveryResult> DeliverAsync(TestDocument document, ConnectorSettings? settings = null) =>
        Connector.DeliverAsync(TestDeliveries.Context(document, settings ?? Settings(), OneaConnector.ProviderKey), CancellationToken.None);

    [Fact]
    public async Task A_purchase_invoice_is_posted_as_incoming_and_a_sales_invoice_as_outgoing_with_the_ubl_in_base64()
    {
        var purchase = new TestDocument("demo-credit-note.xml", Sample("demo-credit-note.xml"), DocumentKind.PurchaseInvoice, DocumentFormat.UblCreditNote);
        var sales = new TestDocument("demo-invoice.xml", Sample("demo-invoice.xml"), DocumentKind.SalesInvoice);

        var purchaseResult = await DeliverAsync(purchase);
        var salesResult = await DeliverAsync(sales);

        Assert.Equal(DeliveryResultKind.Delivered, purchaseResult.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, salesResult.Kind);
        var incoming = Assert.Single(Fake.Transfers, t => t.Value.Direction == "incoming");
        var outgoing = Assert.Single(Fake.Transfers, t => t.Value.Direction == "outgoing");
        Assert.Equal(purchase.Content, incoming.Value.Ubl);
        Assert.Equal(sales.Content, outgoing.Value.Ubl);
        Assert.Equal($"onea {incoming.Key}", purchaseResult.Reference);
    }

    [Fact]
    public async Task The_status_is_read_back_by_the_uuid_the_delivery_returned()
    {
        var result = await DeliverAsync(new TestDocument("demo-invoice.xml", Sample("demo-invoice.xml"), DocumentKind.SalesInvoice));
        var reader = Assert.IsAssignableFrom<IDeliveryStatusReader>(Connector);
        var uuid = Assert.Single(Fake.Transfers).Key;

        var pending = await reader.ReadStatusAsync(Settings(), result.Reference!, CancellationToken.None);
        Fake.Finish(uuid, "processed", id: "VF-2026-17");
        var done = await reader.ReadStatusAsync(Settings(), result.Reference!, CancellationToken.None);
        Fake.Finish(uuid, "error", "Unknown customer BE0876543270");
        var failed = await reader.ReadStatusAsync(Settings(), result.Reference!, CancellationToken.None);

        Assert.Equal(ProviderStatusKind.Pending, pending.Kind);
        Assert.Equal((ProviderStatusKind.Processed, "VF-2026-17"), (done.Kind, done.ProviderId));
        Assert.Equal(ProviderStatusKind.Failed, failed.Kind);
        Assert.Contains("Unknown customer BE0876543270", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_api_key_breaks_the_connection_and_is_never_shown()
    {
        var result = await DeliverAsync(new TestDocument("demo-invoice.xml", Sample("demo-invoice.xml"), DocumentKind.SalesInvoice), Settings(key: "wrong-onea-key-42"));

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.DoesNotContain("wrong-onea-key-42", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bank_statement_or_a_pdf_is_refused_for_good_and_nothing_is_posted()
    {
        var coda = await DeliverAsync(new TestDocument("demo.cod", Sample("demo.cod"), DocumentKind.BankStatement, DocumentFormat.Coda));
        var pdf = await DeliverAsync(new TestDocument("scan.pdf", "%PDF-1.7"u8.ToArray(), DocumentKind.PurchaseInvoice, DocumentFormat.Pdf));

        Assert.Equal(DeliveryResultKind.Permanent, coda.Kind);
        Assert.Equal(DeliveryResultKind.Permanent, pdf.Kind);
        Assert.Contains("UBL", pdf.Reason, StringComparison.Ordinal);
        Assert.Empty(Fake.Transfers);
    }

    [Fact]
    public async Task A_server_error_is_transient_and_a_refusal_permanent_with_onea_s_words()
    {
        Fake.FailNext(503);
        var down = await DeliverAsync(new TestDocument("demo-invoice.xml", Sample("demo-invoice.xml"), DocumentKind.SalesInvoice));
        Fake.RejectNext = "Invoice number already exists in Venice";
        var refused = await DeliverAsync(new TestDocument("demo-invoice.xml", Sample("demo-invoice.xml"), DocumentKind.SalesInvoice));

        Assert.Equal(DeliveryResultKind.Transient, down.Kind);
        Assert.Equal(DeliveryResultKind.Permanent, refused.Kind);
        Assert.Contains("Invoice number already exists in Venice", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_test_says_the_key_is_checked_by_the_first_delivery_and_names_the_portal()
    {
        var result = await Connector.TestConnectionAsync(Settings(platform: "octopus"), CancellationToken.None);

        Assert.True(result.Success, result.Message);
        Assert.Contains("ois.onea.be", result.Message, StringComparison.Ordinal);
        Assert.Contains("first delivery", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_with_an_unknown_platform_and_no_key_names_both_settings()
    {
        var e = Assert.Throws<ConnectorConfigurationException>(() => Connector.ValidateSettings(TestDeliveries.Settings(new Dictionary<string, string> { ["platform"] = "winbooks" })));

        Assert.Contains("'platform'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'apiKey'", e.Message, StringComparison.Ordinal);
    }
}
