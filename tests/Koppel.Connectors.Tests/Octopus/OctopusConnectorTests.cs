using System.Text;
using Koppel.Connectors.Octopus;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using Koppel.ProviderFakes.Octopus;

namespace Koppel.Connectors.Tests.Octopus;

public sealed class OctopusConnectorTests : IAsyncLifetime
{
    private ProviderFakeHarness<OctopusFake> _harness = null!;

    private OctopusFake Fake => _harness.Fake;

    private IConnector Connector => _harness.Connector(OctopusConnector.ProviderKey);

    public async Task InitializeAsync()
    {
        _harness = await ProviderFakeHarness.StartAsync(new OctopusFake(), baseUrl => new Dictionary<string, string?>
        {
            ["Koppel:Providers:Octopus:BaseUrl"] = baseUrl.ToString(),
            ["Koppel:Providers:Octopus:FileImportBaseUrl"] = new Uri(baseUrl, OctopusFake.FileImportSegment + "/").ToString(),
            ["Koppel:Providers:Octopus:SoftwareHouseUuid"] = OctopusFake.SoftwareHouseUuid,
        });
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static ConnectorSettings Settings(Action<Dictionary<string, string>>? change = null, string password = OctopusFake.Password)
    {
        var options = new Dictionary<string, string> { ["user"] = OctopusFake.User, ["dossierId"] = "4711" };
        change?.Invoke(options);
        return TestDeliveries.Settings(options, new Dictionary<string, string> { ["password"] = password });
    }

    private static ConnectorSettings BookingPurchases() => Settings(o => o["mode.PurchaseInvoice"] = "book");

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(TestServices.RepoRoot, "samples", name));

    private static TestDocument SalesInvoice() =>
        new("demo-invoice.xml", Sample("demo-invoice.xml"), DocumentKind.SalesInvoice, DocumentFormat.UblInvoice, "DEMO-2026-001");

    private static TestDocument PurchaseCreditNote() =>
        new("demo-credit-note.xml", Sample("demo-credit-note.xml"), DocumentKind.PurchaseInvoice, DocumentFormat.UblCreditNote, "MOL-CN-118");

    private Task<DeliveryResult> DeliverAsync(TestDocument document, ConnectorSettings settings, string? deliveryId = null) =>
        Connector.DeliverAsync(TestDeliveries.Context(document, settings, OctopusConnector.ProviderKey, deliveryId), CancellationToken.None);

    [Fact]
    public async Task A_sales_invoice_is_booked_in_the_sales_journal_with_one_line_per_vat_rate_and_its_customer()
    {
        var result = await DeliverAsync(SalesInvoice(), Settings());

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var booking = Assert.Single(Fake.Bookings);
        Assert.Equal($"V1/21/{booking.Body["documentSequenceNr"]}", result.Reference);
        Assert.Equal("V1", (string?)booking.Body["journalKey"]);
        Assert.Equal(246.47m, booking.Amount);
        Assert.Equal("+++090/9337/55493+++", (string?)booking.Body["reference"]);
        Assert.Equal(
            [("700000", "06", 120.00m, 7.20m), ("700000", "21", 98.57m, 20.70m)],
            booking.Lines.Select(l => ((string)l["accountKey"]!, (string)l["vatCodeKey"]!, (decimal)l["baseAmount"]!, (decimal)l["vatAmount"]!)).ToList());
        var customer = Assert.Single(Fake.Relations.Values);
        Assert.Equal("BE0876543270", (string?)customer["vatNr"]);
        Assert.True((bool)customer["client"]!);
        Assert.Equal((int)customer["relationId"]!, (int)booking.Body["relationId"]!);
    }

    [Fact]
    public async Task A_credit_note_is_booked_with_a_negative_total_and_positive_lines_as_octopus_expects()
    {
        var result = await DeliverAsync(PurchaseCreditNote(), BookingPurchases());

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var booking = Assert.Single(Fake.Bookings);
        Assert.Equal("A1", (string?)booking.Body["journalKey"]);
        Assert.Equal(-58.30m, booking.Amount);
        var line = Assert.Single(booking.Lines);
        Assert.Equal(55.00m, (decimal)line["baseAmount"]!);
        Assert.Equal(3.30m, (decimal)line["vatAmount"]!);
        Assert.Equal("604000", (string?)line["accountKey"]);
        Assert.StartsWith("Credit note MOL-CN-118", booking.Comment, StringComparison.Ordinal);
        Assert.True((bool)Assert.Single(Fake.Relations.Values)["supplier"]!);
    }

    [Fact]
    public async Task A_known_relation_is_reused_rather_than_created_again()
    {
        await DeliverAsync(SalesInvoice(), Settings(), "delivery-a");
        await DeliverAsync(SalesInvoice(), Settings(), "delivery-b");

        Assert.Equal(2, Fake.Bookings.Count);
        Assert.Single(Fake.Relations);
    }

    [Fact]
    public async Task A_purchase_invoice_in_hand_over_mode_lands_in_the_document_inbox_with_its_pdf()
    {
        var pdf = TestDeliveries.RandomBytes(40_000, seed: 3);
        var document = PurchaseCreditNote().WithAttachment("MOL-CN-118.pdf", "application/pdf", pdf);

        var result = await DeliverAsync(document, Settings());

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Empty(Fake.Bookings);
        var files = Fake.FileImports.ToList();
        Assert.Equal(2, files.Count);
        Assert.All(files, f => Assert.Equal(4711, f.DossierId));
        Assert.Equal(document.Content, files.Single(f => f.FileName.EndsWith(".xml", StringComparison.Ordinal)).Content);
        Assert.Equal(pdf, files.Single(f => f.FileName.EndsWith(".pdf", StringComparison.Ordinal)).Content);
    }

    [Fact]
    public async Task A_sales_invoice_can_be_handed_over_instead_of_booked()
    {
        var result = await DeliverAsync(SalesInvoice(), Settings(o => o["mode.SalesInvoice"] = "handover"));

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Empty(Fake.Bookings);
        Assert.Single(Fake.FileImports);
    }

    [Fact]
    public async Task A_bank_statement_goes_to_the_coda_import_byte_for_byte()
    {
        var coda = new TestDocument("demo.cod", Sample("demo.cod"), DocumentKind.BankStatement, DocumentFormat.Coda, null);

        var result = await DeliverAsync(coda, Settings());

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var import = Assert.Single(Fake.CodaImports);
        Assert.Equal(coda.Content, import.Content);
        Assert.StartsWith("demo_", import.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_document_goes_to_the_document_inbox()
    {
        var pdf = new TestDocument("contract.pdf", TestDeliveries.RandomBytes(10_000, seed: 5), DocumentKind.OtherDocument, DocumentFormat.Pdf, null);

        var result = await DeliverAsync(pdf, Settings());

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal(pdf.Content, Assert.Single(Fake.FileImports).Content);
    }

    [Fact]
    public async Task Tokens_are_reused_and_an_expired_token_mid_run_is_renewed_once()
    {
        await DeliverAsync(SalesInvoice(), Settings(), "delivery-1");
        await DeliverAsync(SalesInvoice(), Settings(), "delivery-2");
        Assert.Equal(1, Fake.Logins);

        Fake.ExpireAllTokens();
        var result = await DeliverAsync(SalesInvoice(), Settings(), "delivery-3");

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal(3, Fake.Bookings.Count);
        Assert.Equal(2, Fake.Logins);
    }

    [Fact]
    public async Task A_token_that_expires_between_look_up_and_booking_is_renewed_and_the_invoice_booked_once()
    {
        Fake.ExpireTokensAfterNextLookup = true;

        var result = await DeliverAsync(SalesInvoice(), Settings());

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Single(Fake.Bookings);
        Assert.Equal(2, Fake.Logins);
        Assert.Equal(2, Fake.ModifiedCalls); // the renewed run looked again before booking
    }

    [Fact]
    public async Task A_response_lost_after_booking_is_found_again_on_retry_and_booked_once()
    {
        Fake.LoseNextBookingResponse = true;
        var document = SalesInvoice();

        var first = await DeliverAsync(document, Settings());
        var retry = await DeliverAsync(document, Settings());

        Assert.Equal(DeliveryResultKind.Transient, first.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, retry.Kind);
        var booking = Assert.Single(Fake.Bookings);
        Assert.Equal($"V1/21/{booking.Body["documentSequenceNr"]}", retry.Reference);
    }

    [Fact]
    public async Task An_octopus_error_body_becomes_a_permanent_failure_in_its_own_words()
    {
        Fake.RejectNextBooking = ("VATCODE_UNKNOWN", "Vat code 06 does not exist in this dossier");

        var result = await DeliverAsync(SalesInvoice(), Settings());

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Null(result.ConnectionProblem);
        Assert.Contains("Vat code 06 does not exist in this dossier", result.Reason, StringComparison.Ordinal);
        Assert.Contains("VATCODE_UNKNOWN", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("be.inaras", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_passing_server_error_on_a_read_is_retried_and_the_invoice_booked()
    {
        await Connector.TestConnectionAsync(Settings(), CancellationToken.None); // tokens in hand, so the failure hits a dossier call
        Fake.FailNext(503, "UNAVAILABLE", "Maintenance");

        var result = await DeliverAsync(SalesInvoice(), Settings());

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Single(Fake.Bookings);
    }

    [Fact]
    public async Task A_lasting_server_error_is_transient_and_books_nothing()
    {
        await Connector.TestConnectionAsync(Settings(), CancellationToken.None);
        Fake.FailNext(500, "INTERNAL", "Something broke", count: 10);

        var result = await DeliverAsync(SalesInvoice(), Settings());

        Assert.Equal(DeliveryResultKind.Transient, result.Kind);
        Assert.Contains("Something broke", result.Reason, StringComparison.Ordinal);
        Assert.Empty(Fake.Bookings);
    }

    [Fact]
    public async Task A_closed_book_year_is_a_permanent_failure_that_says_so()
    {
        var result = await DeliverAsync(SalesInvoice(), Settings(o => o["bookYearId"] = "20"));

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains("book year 2025 is closed", result.Reason, StringComparison.Ordinal);
        Assert.Empty(Fake.Bookings);
    }

    [Fact]
    public async Task An_unmapped_vat_rate_asks_for_the_vat_code_setting()
    {
        var result = await DeliverAsync(SalesInvoice(), Settings(o => o["vatCode.21"] = string.Empty));

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind); // an empty setting keeps the default

        var noSix = TestDeliveries.Settings(
            new Dictionary<string, string> { ["user"] = OctopusFake.User, ["dossierId"] = "4711" },
            new Dictionary<string, string> { ["password"] = OctopusFake.Password });
        var eightPercent = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Sample("demo-invoice.xml")).Replace("<cbc:Percent>6</cbc:Percent>", "<cbc:Percent>8</cbc:Percent>", StringComparison.Ordinal));
        var odd = await DeliverAsync(new TestDocument("odd.xml", eightPercent, DocumentKind.SalesInvoice), noSix);

        Assert.Equal(DeliveryResultKind.Permanent, odd.Kind);
        Assert.Contains("vatCode.8", odd.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_credentials_mark_the_connection_broken_without_showing_the_password()
    {
        const string wrong = "Wrong-Password-Value-8812";

        var result = await DeliverAsync(SalesInvoice(), Settings(password: wrong));
        var test = await Connector.TestConnectionAsync(Settings(password: wrong), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains("user name or password", result.Reason, StringComparison.Ordinal);
        Assert.False(test.Success);
        Assert.True(test.CredentialsRejected);
        Assert.DoesNotContain(wrong, result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dossier_the_user_cannot_reach_breaks_the_connection()
    {
        var result = await DeliverAsync(SalesInvoice(), Settings(o => o["dossierId"] = "9999"));
        var test = await Connector.TestConnectionAsync(Settings(o => o["dossierId"] = "9999"), CancellationToken.None);

        Assert.False(test.Success);
        Assert.False(test.CredentialsRejected);
        Assert.Contains(test.Choices, c => c.Setting == "dossierId" && c.Value == "4711");
        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains("no access to dossier 9999", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_test_lists_the_dossiers_then_the_book_years_of_the_chosen_one()
    {
        var first = await Connector.TestConnectionAsync(Settings(o => o.Remove("dossierId")), CancellationToken.None);
        var second = await Connector.TestConnectionAsync(Settings(), CancellationToken.None);

        Assert.True(first.Success);
        Assert.Equal(
            [("dossierId", "4711", "Bakkerij Peeters BV"), ("dossierId", "4712", "Slagerij Janssens")],
            first.Choices.Select(c => (c.Setting, c.Value, c.Label)).Order().ToList());
        Assert.True(second.Success);
        Assert.Contains("Bakkerij Peeters BV", second.Message, StringComparison.Ordinal);
        Assert.Equal(["20", "21"], second.Choices.Where(c => c.Setting == "bookYearId").Select(c => c.Value).Order().ToList());
        Assert.Contains(second.Choices, c => c.Value == "20" && c.Label.Contains("closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_octopus_is_transient()
    {
        var closed = new Uri($"http://127.0.0.1:{TestServices.FreeClosedPort()}/");
        await using var nowhere = await ProviderFakeHarness.StartAsync(new OctopusFake(), _ => new Dictionary<string, string?>
        {
            ["Koppel:Providers:Octopus:BaseUrl"] = closed.ToString(),
            ["Koppel:Providers:Octopus:FileImportBaseUrl"] = closed.ToString(),
            ["Koppel:Providers:Octopus:SoftwareHouseUuid"] = OctopusFake.SoftwareHouseUuid,
        });

        var result = await nowhere.Connector(OctopusConnector.ProviderKey)
            .DeliverAsync(TestDeliveries.Context(SalesInvoice(), Settings(), OctopusConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Transient, result.Kind);
        Assert.Contains("did not answer", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_operators_software_house_uuid_the_delivery_says_what_is_missing()
    {
        await using var unconfigured = await ProviderFakeHarness.StartAsync(new OctopusFake(), baseUrl => new Dictionary<string, string?>
        {
            ["Koppel:Providers:Octopus:BaseUrl"] = baseUrl.ToString(),
        });

        var result = await unconfigured.Connector(OctopusConnector.ProviderKey)
            .DeliverAsync(TestDeliveries.Context(SalesInvoice(), Settings(), OctopusConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains("SoftwareHouseUuid", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_a_user_reads_contains_the_password_or_a_token()
    {
        Fake.FailNext(500, "INTERNAL", $"echo {OctopusFake.Password}", count: 10);
        var texts = new List<string?>
        {
            (await DeliverAsync(SalesInvoice(), Settings())).Reason,
            (await Connector.TestConnectionAsync(Settings(), CancellationToken.None)).Message,
        };

        Assert.All(texts, text =>
        {
            Assert.False(string.IsNullOrEmpty(text));
            Assert.DoesNotContain(OctopusFake.Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain("tok-", text, StringComparison.Ordinal);
            Assert.DoesNotContain("dos-", text, StringComparison.Ordinal);
        });
        Assert.DoesNotContain(OctopusFake.Password, OctopusSettings.From(Settings()).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(OctopusFake.Password, new OctopusCredentials(OctopusFake.User, OctopusFake.Password).ToString(), StringComparison.Ordinal);
    }
}
