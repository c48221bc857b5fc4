using System.Text;
using Koppel.Connectors.Tests.Support;
using Koppel.Connectors.Venice;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using Koppel.ProviderFakes.Venice;

namespace Koppel.Connectors.Tests.Venice;

public sealed class VeniceConnectorTests : IAsyncLifetime
{
    private ProviderFakeHarness<VeniceFake> _harness = null!;

    private VeniceFake Fake => _harness.Fake;

    private IConnector Connector => _harness.Connector(VeniceConnector.ProviderKey);

    public async Task InitializeAsync()
    {
        _harness = await ProviderFakeHarness.StartAsync(new VeniceFake(), baseUrl => new Dictionary<string, string?>
        {
            ["Koppel:Providers:Venice:BaseUrl"] = baseUrl.ToString(),
        });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static ConnectorSettings Settings(Action<Dictionary<string, string>>? change = null, string password = VeniceFake.Password)
    {
        var options = new Dictionary<string, string>
        {
            ["user"] = VeniceFake.User,
            ["dossierId"] = VeniceFake.Dossier,
            ["financialYear"] = "2026",
            ["salesBook"] = "VF",
            ["purchaseBook"] = "AF",
        };
        change?.Invoke(options);
        return TestDeliveries.Settings(options, new Dictionary<string, string> { ["password"] = password });
    }

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(TestServices.RepoRoot, "samples", name));

    private static TestDocument SalesInvoice() =>
        new("demo-invoice.xml", Sample("demo-invoice.xml"), DocumentKind.SalesInvoice, DocumentFormat.UblInvoice, "DEMO-2026-001");

    private static TestDocument PurchaseCreditNote() =>
        new("demo-credit-note.xml", Sample("demo-credit-note.xml"), DocumentKind.PurchaseInvoice, DocumentFormat.UblCreditNote, "MOL-CN-118");

    private Task<DeliveryResult> DeliverAsync(TestDocument document, ConnectorSettings settings, string? deliveryId = null) =>
        Connector.DeliverAsync(TestDeliveries.Context(document, settings, VeniceConnector.ProviderKey, deliveryId), CancellationToken.None);

    [Fact]
    public async Task A_sales_invoice_is_booked_as_a_sales_record_in_the_sales_book_with_the_delivery_id_as_sync_reference()
    {
        var document = SalesInvoice();
        var context = TestDeliveries.Context(document, Settings(), VeniceConnector.ProviderKey);

        var result = await Connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var sale = Assert.Single(Fake.Of("Sales"));
        Assert.Equal($"Sales {sale.SystemNumber}", result.Reference);
        Assert.Equal((VeniceFake.Dossier, 2026), (sale.Dossier, sale.Year));
        Assert.Equal("VF", (string?)sale.Fields["Book"]);
        Assert.Equal(context.DeliveryId, (string?)sale.Fields["SyncReference"]);
        Assert.Equal(246.47m, (decimal)sale.Fields["TotalDocC"]!);
        Assert.Equal("Invoice", (string?)sale.Fields["DocType"]);
        Assert.Equal(
            [("700000", "6", 120.00m, 7.20m), ("700000", "21", 98.57m, 20.70m)],
            sale.Entries!.Select(e => ((string)e!["Account"]!, (string)e["VatCode"]!, (decimal)e["AmountDocC"]!, (decimal)e["VatAmountDocC"]!)).ToList());
        var customer = Assert.Single(Fake.Of("Customer"));
        Assert.Equal("BE0876543270", (string?)customer.Fields["VatNumber"]);
        Assert.Equal(customer.SystemNumber, (long)sale.Fields["Customer"]!);
    }

    [Fact]
    public async Task A_purchase_credit_note_is_booked_as_a_credit_note_in_the_purchase_book_with_its_supplier()
    {
        var result = await DeliverAsync(PurchaseCreditNote(), Settings());

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var purchase = Assert.Single(Fake.Of("Purchase"));
        Assert.Equal("AF", (string?)purchase.Fields["Book"]);
        Assert.Equal("CreditNote", (string?)purchase.Fields["DocType"]);
        Assert.Equal(58.30m, (decimal)purchase.Fields["TotalDocC"]!);
        Assert.Equal(55.00m, (decimal)Assert.Single(purchase.Entries!)!["AmountDocC"]!);
        Assert.Equal("BE0712345630", (string?)Assert.Single(Fake.Of("Supplier")).Fields["VatNumber"]);
        Assert.Empty(Fake.Of("Sales"));
    }

    [Fact]
    public async Task A_known_customer_is_reused_rather_than_created_again()
    {
        await DeliverAsync(SalesInvoice(), Settings(), "delivery-a");
        await DeliverAsync(SalesInvoice(), Settings(), "delivery-b");

        Assert.Equal(2, Fake.Of("Sales").Count());
        Assert.Single(Fake.Of("Customer"));
    }

    [Fact]
    public async Task A_response_lost_after_booking_is_found_by_sync_reference_on_retry_and_booked_once()
    {
        Fake.LoseNextCreateResponse = true;
        var document = SalesInvoice();

        var first = await DeliverAsync(document, Settings());
        var retry = await DeliverAsync(document, Settings());

        Assert.Equal(DeliveryResultKind.Transient, first.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, retry.Kind);
        Assert.Equal($"Sales {Assert.Single(Fake.Of("Sales")).SystemNumber}", retry.Reference);
    }

    [Fact]
    public async Task A_refused_booking_is_permanent_and_says_what_venice_said()
    {
        Fake.RejectNextBooking = "Book VF is blocked for this period";

        var result = await DeliverAsync(SalesInvoice(), Settings());

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Null(result.ConnectionProblem);
        Assert.Contains("Book VF is blocked for this period", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lasting_server_error_is_transient_and_books_nothing()
    {
        Fake.FailNext(503, count: 10);

        var result = await DeliverAsync(SalesInvoice(), Settings());

        Assert.Equal(DeliveryResultKind.Transient, result.Kind);
        Assert.Contains("503", result.Reason, StringComparison.Ordinal);
        Assert.Empty(Fake.Records);
    }

    [Fact]
    public async Task A_wrong_financial_year_is_permanent_and_points_at_the_connection_test()
    {
        var result = await DeliverAsync(SalesInvoice(), Settings(o => o["financialYear"] = "2019"));

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains("connection test", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_credentials_mark_the_connection_broken_without_showing_the_password()
    {
        const string wrong = "Wrong-Venice-Password-4410";
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{VeniceFake.User}:{wrong}"));

        var result = await DeliverAsync(SalesInvoice(), Settings(password: wrong));
        var test = await Connector.TestConnectionAsync(Settings(password: wrong), CancellationToken.None);

        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.False(test.Success);
        Assert.True(test.CredentialsRejected);
        foreach (var text in new[] { result.Reason, test.Message })
        {
            Assert.DoesNotContain(wrong, text, StringComparison.Ordinal);
            Assert.DoesNotContain(basic, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_connection_test_confirms_the_dossier_and_lists_the_financial_years_that_answer()
    {
        var test = await Connector.TestConnectionAsync(Settings(o => o.Remove("financialYear")), CancellationToken.None);

        Assert.True(test.Success);
        Assert.Contains(test.Choices, c => c.Setting == "dossierId" && c.Value == VeniceFake.Dossier);
        var years = test.Choices.Where(c => c.Setting == "financialYear").Select(c => c.Value).ToList();
        Assert.Contains(DateTime.UtcNow.Year.ToString(System.Globalization.CultureInfo.InvariantCulture), years);
        Assert.Contains("e-mail or SFTP connection", test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_dossier_fails_the_connection_test()
    {
        var test = await Connector.TestConnectionAsync(Settings(o => o["dossierId"] = "NOPE"), CancellationToken.None);

        Assert.False(test.Success);
        Assert.False(test.CredentialsRejected);
        Assert.Contains("NOPE", test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bank_statements_and_other_documents_are_not_taken_and_the_user_is_told_where_they_go()
    {
        var coda = new TestDocument("demo.cod", Sample("demo.cod"), DocumentKind.BankStatement, DocumentFormat.Coda, null);

        var result = await DeliverAsync(coda, Settings());

        Assert.Equal([DocumentKind.SalesInvoice, DocumentKind.PurchaseInvoice], Connector.Descriptor.Delivers.Keys.Order().ToList());
        Assert.Contains("e-mail or SFTP connection", Connector.Descriptor.Notes, StringComparison.Ordinal);
        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains("e-mail or SFTP connection", result.Reason, StringComparison.Ordinal);
        Assert.Empty(Fake.Records);
    }

    [Fact]
    public async Task An_unreachable_venice_is_transient()
    {
        await using var nowhere = await ProviderFakeHarness.StartAsync(new VeniceFake(), _ => new Dictionary<string, string?>
        {
            ["Koppel:Providers:Venice:BaseUrl"] = $"http://127.0.0.1:{TestServices.FreeClosedPort()}/",
        });

        var result = await nowhere.Connector(VeniceConnector.ProviderKey)
            .DeliverAsync(TestDeliveries.Context(SalesInvoice(), Settings(), VeniceConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Transient, result.Kind);
        Assert.Contains("did not answer", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_and_their_problems_never_show_the_password()
    {
        var settings = VeniceSettings.From(Settings());
        var broken = Assert.Throws<ConnectorConfigurationException>(() => VeniceSettings.From(Settings(o => o["financialYear"] = "soon")));

        Assert.DoesNotContain(VeniceFake.Password, settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(VeniceFake.Password, broken.Message, StringComparison.Ordinal);
        Assert.Contains("financialYear", broken.Message, StringComparison.Ordinal);
    }
}
