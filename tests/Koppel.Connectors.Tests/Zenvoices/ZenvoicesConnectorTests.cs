using Koppel.Connectors.Tests.Support;
using Koppel.Connectors.Zenvoices;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using Koppel.ProviderFakes.Zenvoices;

namespace Koppel.Connectors.Tests.Zenvoices;

public sealed class ZenvoicesConnectorTests : IAsyncLifetime
{
    private ProviderFakeHarness<ZenvoicesFake> _harness = null!;

    private ZenvoicesFake Fake => _harness.Fake;

    private IConnector Connector => _harness.Connector(ZenvoicesConnector.ProviderKey);

    public async Task InitializeAsync()
    {
        _harness = await ProviderFakeHarness.StartAsync(new ZenvoicesFake(), baseUrl => new Dictionary<string, string?>
        {
            ["Koppel:Providers:Zenvoices:BaseUrl"] = baseUrl.ToString(),
        });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static ConnectorSettings Settings(string? company = "BP01", string password = ZenvoicesFake.Password)
    {
        var options = new Dictionary<string, string> { ["user"] = ZenvoicesFake.User, ["organisationCode"] = ZenvoicesFake.Organisation };
        if (company is not null)
        {
            options["companyCode"] = company;
        }

        return TestDeliveries.Settings(options, new Dictionary<string, string> { ["password"] = password });
    }

    private static TestDocument Purchase(string text = "%PDF-1.7 purchase") =>
        new("factuur.pdf", System.Text.Encoding.ASCII.GetBytes(text), DocumentKind.PurchaseInvoice, DocumentFormat.Pdf);

    private Task<DeliveryResult> DeliverAsync(TestDocument document, ConnectorSettings? settings = null) =>
        Connector.DeliverAsync(TestDeliveries.Context(document, settings ?? Settings(), ZenvoicesConnector.ProviderKey), CancellationToken.None);

    [Fact]
    public async Task A_purchase_invoice_lands_in_the_inbox_of_the_chosen_company()
    {
        var document = Purchase();

        var result = await DeliverAsync(document);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var upload = Assert.Single(Fake.Inbox);
        Assert.Equal("BP01", upload.Company);
        Assert.Equal(document.Content, upload.Content);
        Assert.Equal("inbox doc-1", result.Reference);
    }

    [Fact]
    public async Task One_login_serves_many_uploads_and_an_expiring_access_token_is_refreshed_not_logged_in_again()
    {
        await DeliverAsync(Purchase("%PDF a"));
        await DeliverAsync(Purchase("%PDF b"));
        Assert.Equal((1, 0), (Fake.Logins, Fake.Refreshes));

        _harness.Fake.AccessTokenSeconds = 60;
        Fake.ExpireAccessTokens();
        var afterExpiry = await DeliverAsync(Purchase("%PDF c"));
        var next = await DeliverAsync(Purchase("%PDF d"));

        // The 401 drops the tokens (transient), the retry logs in; the short-lived token it gets is refreshed next time.
        Assert.Equal(DeliveryResultKind.Transient, afterExpiry.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, next.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, (await DeliverAsync(Purchase("%PDF e"))).Kind);
        Assert.Equal(2, Fake.Logins);
        Assert.Equal(1, Fake.Refreshes);
    }

    [Fact]
    public async Task A_sales_invoice_is_refused_for_good_saying_zenvoices_takes_purchase_invoices_only()
    {
        var result = await DeliverAsync(new TestDocument("s.xml", TestDeliveries.Ubl("S-1"), DocumentKind.SalesInvoice));

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains("purchase invoices only", result.Reason, StringComparison.Ordinal);
        Assert.Empty(Fake.Inbox);
    }

    [Fact]
    public async Task A_refused_password_breaks_the_connection_and_is_never_shown()
    {
        var result = await DeliverAsync(Purchase(), Settings(password: "wrong-zen-pass-7"));
        var test = await Connector.TestConnectionAsync(Settings(password: "wrong-zen-pass-7"), CancellationToken.None);

        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.DoesNotContain("wrong-zen-pass-7", result.Reason, StringComparison.Ordinal);
        Assert.True(test.CredentialsRejected);
        Assert.DoesNotContain("wrong-zen-pass-7", test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_test_lists_the_companies_and_says_honestly_that_the_upload_is_unverified()
    {
        var result = await Connector.TestConnectionAsync(Settings(company: null), CancellationToken.None);

        Assert.True(result.Success, result.Message);
        Assert.Equal(["BP01", "BP02"], result.Choices.Where(c => c.Setting == "companyCode").Select(c => c.Value).Order());
        Assert.Contains("not verified", result.Message, StringComparison.Ordinal);
        Assert.Contains("not verified", Connector.Descriptor.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Saving_without_organisation_or_company_names_both_settings()
    {
        var e = Assert.Throws<ConnectorConfigurationException>(() => Connector.ValidateSettings(
            TestDeliveries.Settings(new Dictionary<string, string> { ["user"] = "u" }, new Dictionary<string, string> { ["password"] = "p" })));

        Assert.Contains("'organisationCode'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'companyCode'", e.Message, StringComparison.Ordinal);
    }
}
