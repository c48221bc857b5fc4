using Koppel.Connectors.Tests.Support;
using Koppel.Connectors.Yokoy;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using Koppel.ProviderFakes.Yokoy;

namespace Koppel.Connectors.Tests.Yokoy;

public sealed class YokoyConnectorTests : IAsyncLifetime
{
    private ProviderFakeHarness<YokoyFake> _harness = null!;

    private YokoyFake Fake => _harness.Fake;

    private IConnector Connector => _harness.Connector(YokoyConnector.ProviderKey);

    public async Task InitializeAsync()
    {
        _harness = await ProviderFakeHarness.StartAsync(new YokoyFake(), baseUrl => new Dictionary<string, string?>
        {
            ["Koppel:Providers:Yokoy:BaseUrl"] = new Uri(baseUrl, "api/v1/").ToString(),
            ["Koppel:Providers:Yokoy:TokenUrl"] = new Uri(baseUrl, "accounts/").ToString(),
        });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static ConnectorSettings Settings(string? legalEntity = "le-be", string secret = YokoyFake.ClientSecret, string organization = YokoyFake.Organization)
    {
        var options = new Dictionary<string, string> { ["clientId"] = YokoyFake.ClientId, ["organizationId"] = organization };
        if (legalEntity is not null)
        {
            options["legalEntityId"] = legalEntity;
        }

        return TestDeliveries.Settings(options, new Dictionary<string, string> { ["clientSecret"] = secret });
    }

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(TestServices.RepoRoot, "samples", name));

    private static TestDocument PurchaseUbl() =>
        new TestDocument("demo-invoice.xml", Sample("demo-invoice.xml"), DocumentKind.PurchaseInvoice, DocumentFormat.UblInvoice, "KOP-2026-0042")
            .WithAttachment("DEMO-2026-001.pdf", "application/pdf", "%PDF-1.4 demo"u8.ToArray());

    private Task<DeliveryResult> DeliverAsync(TestDocument document, ConnectorSettings? settings = null) =>
        Connector.DeliverAsync(TestDeliveries.Context(document, settings ?? Settings(), YokoyConnector.ProviderKey), CancellationToken.None);

    [Fact]
    public async Task A_purchase_ubl_goes_to_the_einvoice_endpoint_as_peppol_bis_with_its_pdf()
    {
        var document = PurchaseUbl();

        var result = await DeliverAsync(document);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var invoice = Assert.Single(Fake.Invoices);
        Assert.Equal($"invoice {invoice.Id}", result.Reference);
        Assert.Equal(("le-be", "peppolBis"), (invoice.LegalEntity, invoice.Channel));
        Assert.Equal(document.Content, invoice.InvoiceData);
        Assert.Equal("%PDF-1.4 demo"u8.ToArray(), invoice.File);
        Assert.Equal(TestDeliveries.Context(document, Settings(), YokoyConnector.ProviderKey).DeliveryId, invoice.CustomInformation[YokoyConnector.ReferenceField]);
    }

    [Fact]
    public async Task A_pdf_without_ubl_goes_to_the_upload_endpoint_for_yokoys_extraction()
    {
        var pdf = new TestDocument("scan.pdf", "%PDF-1.7 scanned"u8.ToArray(), DocumentKind.PurchaseInvoice, DocumentFormat.Pdf, number: null);

        var result = await DeliverAsync(pdf);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var invoice = Assert.Single(Fake.Invoices);
        Assert.Equal(("upload", "scan.pdf"), (invoice.Channel, invoice.FileName));
        Assert.Equal(pdf.Content, invoice.File);
    }

    [Fact]
    public async Task A_sales_invoice_is_refused_for_good_saying_yokoy_takes_purchase_invoices_only()
    {
        var sales = new TestDocument("demo-invoice.xml", Sample("demo-invoice.xml"), DocumentKind.SalesInvoice);
        var coda = new TestDocument("demo.cod", Sample("demo.cod"), DocumentKind.BankStatement, DocumentFormat.Coda);

        var salesResult = await DeliverAsync(sales);
        var codaResult = await DeliverAsync(coda);

        Assert.All([salesResult, codaResult], r =>
        {
            Assert.Equal(DeliveryResultKind.Permanent, r.Kind);
            Assert.Contains("purchase invoices only", r.Reason, StringComparison.Ordinal);
        });
        Assert.Empty(Fake.Invoices);
        Assert.Equal([DocumentKind.PurchaseInvoice], Connector.Descriptor.Delivers.Keys);
    }

    [Fact]
    public async Task One_token_serves_many_calls_and_every_call_carries_the_yokoy_auth_method_header()
    {
        await DeliverAsync(PurchaseUbl());
        await DeliverAsync(new TestDocument("scan.pdf", "%PDF-1.7 a"u8.ToArray(), DocumentKind.PurchaseInvoice, DocumentFormat.Pdf, number: null));
        await Connector.TestConnectionAsync(Settings(), CancellationToken.None);

        Assert.Equal(2, Fake.Invoices.Count);
        Assert.Equal(1, Fake.TokensIssued);
        Assert.Equal(0, Fake.CallsWithoutAuthMethod);
    }

    [Fact]
    public async Task A_token_yokoy_no_longer_accepts_is_replaced_by_a_new_one()
    {
        await Connector.TestConnectionAsync(Settings(), CancellationToken.None);
        Fake.ExpireTokens();

        var result = await Connector.TestConnectionAsync(Settings(), CancellationToken.None);

        Assert.True(result.Success, result.Message);
        Assert.Equal(2, Fake.TokensIssued);
    }

    [Fact]
    public async Task Too_many_requests_is_transient_with_yokoys_wait_and_creates_nothing()
    {
        var pdf = new TestDocument("scan.pdf", "%PDF-1.7 b"u8.ToArray(), DocumentKind.PurchaseInvoice, DocumentFormat.Pdf, number: null);
        Fake.FailNextCreate(429, retryAfter: "7");

        var result = await DeliverAsync(pdf);

        Assert.Equal(DeliveryResultKind.Transient, result.Kind);
        Assert.Equal(TimeSpan.FromSeconds(7), result.RetryAfter);
        Assert.Contains("too many requests", result.Reason, StringComparison.Ordinal);
        Assert.Empty(Fake.Invoices);
    }

    [Fact]
    public async Task An_answer_lost_after_creating_is_found_by_the_invoice_number_on_retry_and_the_invoice_exists_once()
    {
        Fake.LoseNextCreateResponse = true;
        var document = PurchaseUbl();

        var first = await DeliverAsync(document);
        var retry = await DeliverAsync(document);

        Assert.Equal(DeliveryResultKind.Transient, first.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, retry.Kind);
        var invoice = Assert.Single(Fake.Invoices);
        Assert.Equal($"invoice {invoice.Id}", retry.Reference);
        Assert.True(invoice.CustomInformation.ContainsKey(YokoyConnector.ReferenceField));
    }

    [Fact]
    public async Task A_pdf_sent_before_is_found_by_koppels_reference_and_not_uploaded_again()
    {
        var pdf = new TestDocument("scan.pdf", "%PDF-1.7 c"u8.ToArray(), DocumentKind.PurchaseInvoice, DocumentFormat.Pdf, number: null);

        var first = await DeliverAsync(pdf);
        var again = await DeliverAsync(pdf);

        Assert.Equal(DeliveryResultKind.Delivered, again.Kind);
        Assert.Equal(first.Reference, again.Reference);
        Assert.Single(Fake.Invoices);
        Assert.Equal(1, pdf.OpenCount);
    }

    [Fact]
    public async Task A_refused_client_secret_breaks_the_connection_without_showing_the_secret()
    {
        var result = await DeliverAsync(PurchaseUbl(), Settings(secret: "wrong-secret-123"));
        var test = await Connector.TestConnectionAsync(Settings(secret: "wrong-secret-123"), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains("client secret", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret-123", result.Reason, StringComparison.Ordinal);
        Assert.False(test.Success);
        Assert.True(test.CredentialsRejected);
        Assert.DoesNotContain("wrong-secret-123", test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_test_lists_the_legal_entities_to_choose_from_and_says_yokoy_takes_purchase_invoices_only()
    {
        var result = await Connector.TestConnectionAsync(Settings(legalEntity: null), CancellationToken.None);

        Assert.True(result.Success, result.Message);
        Assert.Equal(
            [("legalEntityId", "le-be", "Bakkerij Peeters BV (BE01)"), ("legalEntityId", "le-nl", "Bakkerij Peeters Nederland BV (NL01)")],
            result.Choices.Select(c => (c.Setting, c.Value, c.Label)).Order().ToList());
        Assert.Contains("purchase invoices only", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_legal_entity_the_organisation_does_not_have_fails_the_test_and_lists_the_right_ones()
    {
        var result = await Connector.TestConnectionAsync(Settings(legalEntity: "le-xx"), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("le-xx", result.Message, StringComparison.Ordinal);
        Assert.Contains("Bakkerij Peeters BV (BE01)", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_without_secret_or_legal_entity_names_both_settings()
    {
        var settings = TestDeliveries.Settings(new Dictionary<string, string> { ["clientId"] = "c", ["organizationId"] = "org/../x" });

        var e = Assert.Throws<ConnectorConfigurationException>(() => Connector.ValidateSettings(settings));

        Assert.Contains("'clientSecret'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'legalEntityId'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'organizationId'", e.Message, StringComparison.Ordinal);
    }
}
