using System.Globalization;
using Koppel.Connectors.Tests.Support;
using Koppel.Connectors.Yuki;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.ProviderFakes.Yuki;

namespace Koppel.Connectors.Tests.Yuki;

public sealed class YukiConnectorTests : IAsyncLifetime
{
    private YukiRig _rig = null!;

    public async Task InitializeAsync() => _rig = await YukiRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private YukiFake Fake => _rig.Fake;

    private static string QuotaScope => "yuki-be-" + YukiRig.Domain;

    [Fact]
    public async Task A_sales_invoice_is_booked_with_its_lines_customer_payment_reference_and_the_default_GL_account()
    {
        var connector = _rig.NewConnector();

        var result = await connector.DeliverAsync(YukiRig.Context(YukiRig.SalesInvoice(), YukiRig.Settings()), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Contains("KOP-2026-0042", result.Reference, StringComparison.Ordinal);
        var booked = Assert.Single(Fake.SalesInvoices);
        Assert.Equal(YukiRig.Bakkerij, booked.AdministrationId);
        Assert.Equal("KOP-2026-0042", booked.Reference);
        Assert.Equal("+++090/9337/55493+++", booked.Value("PaymentID"));
        Assert.Equal("false", booked.Value("EmailToCustomer"));
        Assert.Equal("true", booked.Value("Process"));
        Assert.Equal("BE0876543270", booked.Value("VATNumber"));
        Assert.Equal("2026-12-02", booked.Value("DueDate"));
        Assert.Equal(2, booked.Lines.Count);
        Assert.All(booked.Lines, line => Assert.Equal("700000", Descendant(line, "GLAccountCode")));
        Assert.Equal(["6", "21"], booked.Lines.Select(line => Descendant(line, "VATPercentage")));

        // What Yuki computes from the lines is what the customer was asked to pay.
        Assert.Equal(246.47m, YukiFake.Total(booked));
    }

    [Fact]
    public async Task A_sales_credit_note_is_booked_with_negative_quantities_under_its_own_number()
    {
        var connector = _rig.NewConnector();

        var result = await connector.DeliverAsync(YukiRig.Context(YukiRig.SalesCreditNote(), YukiRig.Settings()), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var booked = Assert.Single(Fake.SalesInvoices);
        Assert.Equal("MOL-CN-118", booked.Reference);
        Assert.StartsWith("Credit note", booked.Value("Subject"), StringComparison.Ordinal);
        Assert.Contains("MOL-2026-981", booked.Value("Remarks"), StringComparison.Ordinal);
        var line = Assert.Single(booked.Lines);
        Assert.Equal(-50m, decimal.Parse(Descendant(line, "ProductQuantity")!, CultureInfo.InvariantCulture));
        Assert.Equal(1.10m, decimal.Parse(Descendant(line, "SalesPrice")!, CultureInfo.InvariantCulture));
        Assert.Equal(-58.30m, YukiFake.Total(booked));
    }

    [Fact]
    public async Task In_handover_mode_a_sales_invoice_goes_to_the_sales_folder_with_its_PDF()
    {
        var connector = _rig.NewConnector();
        var invoice = YukiRig.SalesInvoice();

        var result = await connector.DeliverAsync(YukiRig.Context(invoice, YukiRig.Settings(options: ("salesInvoiceMode", "handover"))), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Empty(Fake.SalesInvoices);
        var uploaded = Assert.Single(Fake.Documents);
        Assert.Equal(uploaded.Id.ToString(), result.Reference);
        Assert.Equal(2, uploaded.Folder);
        Assert.Equal(invoice.Content, uploaded.Content);
        Assert.Equal(YukiRig.EmbeddedPdf, uploaded.Attachment);
        Assert.EndsWith(".pdf", uploaded.AttachmentName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_purchase_invoice_needs_no_revenue_GL_account_while_a_sales_invoice_to_book_does()
    {
        var connector = _rig.NewConnector();
        var settings = YukiRig.SettingsWithout("glAccountCode");

        var purchase = await connector.DeliverAsync(YukiRig.Context(YukiRig.PurchaseInvoice(), settings), default);
        var sales = await connector.DeliverAsync(YukiRig.Context(YukiRig.SalesInvoice(), settings), default);

        Assert.Equal(DeliveryResultKind.Delivered, purchase.Kind);
        Assert.Equal(DeliveryResultKind.Permanent, sales.Kind);
        Assert.Contains("'glAccountCode'", sales.Reason, StringComparison.Ordinal);
        Assert.Empty(Fake.SalesInvoices);
    }

    [Theory]
    [InlineData("handover")]
    [InlineData("book")]
    public async Task A_purchase_invoice_is_handed_over_to_the_purchase_folder_with_its_PDF_in_either_mode(string mode)
    {
        var connector = _rig.NewConnector();
        var invoice = YukiRig.PurchaseInvoice();

        var result = await connector.DeliverAsync(YukiRig.Context(invoice, YukiRig.Settings(options: ("purchaseInvoiceMode", mode))), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var uploaded = Assert.Single(Fake.Documents);
        Assert.Equal(1, uploaded.Folder);
        Assert.Equal(invoice.Content, uploaded.Content);
        Assert.Equal(YukiRig.EmbeddedPdf, uploaded.Attachment);
        Assert.Empty(Fake.SalesInvoices);
        Assert.Contains("partner credentials", connector.Descriptor.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CODA_goes_to_the_bank_folder_other_documents_to_be_handled_and_expense_claims_to_the_chosen_folder()
    {
        var connector = _rig.NewConnector();
        var settings = YukiRig.Settings(options: ("expenseClaimFolderId", "4"));
        var coda = YukiRig.Coda();

        var results = new[]
        {
            await connector.DeliverAsync(YukiRig.Context(coda, settings), default),
            await connector.DeliverAsync(YukiRig.Context(YukiRig.Pdf(DocumentKind.OtherDocument, 1), settings), default),
            await connector.DeliverAsync(YukiRig.Context(YukiRig.Pdf(DocumentKind.ExpenseClaim, 2), settings), default),
        };

        Assert.All(results, r => Assert.Equal(DeliveryResultKind.Delivered, r.Kind));
        Assert.Equal([3, 7, 4], Fake.Documents.Select(d => d.Folder));
        Assert.Equal(coda.Content, Fake.Documents[0].Content);
        Assert.All(Fake.Documents, d => Assert.Null(d.Attachment));
    }

    [Fact]
    public async Task CODA_and_other_documents_are_refused_when_switched_off_and_nothing_is_sent()
    {
        var connector = _rig.NewConnector();
        var settings = YukiRig.Settings(options: [("coda", "false"), ("otherDocuments", "false")]);

        var coda = await connector.DeliverAsync(YukiRig.Context(YukiRig.Coda(), settings), default);
        var other = await connector.DeliverAsync(YukiRig.Context(YukiRig.Pdf(DocumentKind.OtherDocument, 3), settings), default);

        Assert.Equal(DeliveryResultKind.Permanent, coda.Kind);
        Assert.Contains("'coda'", coda.Reason, StringComparison.Ordinal);
        Assert.Equal(DeliveryResultKind.Permanent, other.Kind);
        Assert.Empty(Fake.Calls);
    }

    [Fact]
    public async Task A_session_that_expires_mid_run_is_renewed_once_and_the_run_goes_on()
    {
        var connector = _rig.NewConnector();
        var settings = YukiRig.Settings();

        var first = await connector.DeliverAsync(YukiRig.Context(YukiRig.Pdf(DocumentKind.OtherDocument, 10), settings), default);
        Fake.ExpireSessions();
        var second = await connector.DeliverAsync(YukiRig.Context(YukiRig.Pdf(DocumentKind.OtherDocument, 11), settings), default);
        var third = await connector.DeliverAsync(YukiRig.Context(YukiRig.Pdf(DocumentKind.OtherDocument, 12), settings), default);

        Assert.All([first, second, third], r => Assert.Equal(DeliveryResultKind.Delivered, r.Kind));
        Assert.Equal(2, Fake.Calls.Count(c => c.EndsWith(".Authenticate", StringComparison.Ordinal)));
        Assert.Equal(3, Fake.Documents.Count);
    }

    [Fact]
    public async Task When_the_domain_quota_is_used_up_deliveries_wait_for_the_next_day_and_none_is_lost_or_sent_twice()
    {
        // Two Koppel instances share the domain's counter; other work of the domain already took 975 of its 1,000 calls.
        var quota = new CalendarQuota(new InMemoryDailyQuota());
        var today = BrusselsToday();
        Assert.True(await quota.TryConsumeAsync(QuotaScope, today, 975, 1000, default));
        Fake.DailyQuota = 25; // what is left at Yuki
        var instances = new[] { _rig.NewConnector(quota), _rig.NewConnector(quota) };
        var settings = YukiRig.Settings();
        var documents = Enumerable.Range(100, 12).Select(seed => YukiRig.Pdf(DocumentKind.OtherDocument, seed)).ToList();

        var results = new List<DeliveryResult>();
        for (var i = 0; i < documents.Count; i++)
        {
            results.Add(await instances[i % 2].DeliverAsync(YukiRig.Context(documents[i], settings), default));
        }

        Assert.DoesNotContain(results, r => r.Kind is DeliveryResultKind.Permanent or DeliveryResultKind.Transient);
        var deferred = results.Where(r => r.Kind == DeliveryResultKind.Deferred).ToList();
        Assert.NotEmpty(deferred);
        Assert.All(deferred, r =>
        {
            Assert.Equal("deferred: Yuki quota of this domain reached; resumes at 00:05", r.Reason);
            var resume = TimeZoneInfo.ConvertTime(r.NotBefore!.Value, TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels"));
            Assert.Equal(today.AddDays(1), DateOnly.FromDateTime(resume.DateTime));
            Assert.Equal(new TimeOnly(0, 5), TimeOnly.FromDateTime(resume.DateTime));
        });
        Assert.True(await quota.UsedAsync(QuotaScope, today, default) <= 1000);
        Assert.True(Fake.CallsOf(YukiRig.Domain) <= 25, "Yuki saw more calls than the domain had left");

        // The next day the held-back documents go, each exactly once.
        quota.DaysAhead = 1;
        Fake.StartNewDay();
        for (var i = 0; i < documents.Count; i++)
        {
            if (results[i].Kind == DeliveryResultKind.Deferred)
            {
                results[i] = await instances[i % 2].DeliverAsync(YukiRig.Context(documents[i], settings), default);
            }
        }

        Assert.All(results, r => Assert.Equal(DeliveryResultKind.Delivered, r.Kind));
        Assert.Equal(documents.Count, Fake.Documents.Count);
        Assert.Equal(documents.Select(d => d.Content), Fake.Documents.OrderBy(d => d.FileName, StringComparer.Ordinal).Select(d => d.Content));
    }

    [Fact]
    public async Task A_quota_fault_from_Yuki_itself_defers_the_delivery_without_failing_it()
    {
        var connector = _rig.NewConnector();
        Fake.ExhaustQuota(YukiRig.Domain);

        var result = await connector.DeliverAsync(YukiRig.Context(YukiRig.SalesInvoice(), YukiRig.Settings()), default);

        var test = await connector.TestConnectionAsync(YukiRig.Settings(), default);

        Assert.Equal(DeliveryResultKind.Deferred, result.Kind);
        Assert.True(result.NotBefore > DateTimeOffset.UtcNow);
        Assert.Empty(Fake.SalesInvoices);
        Assert.False(test.Success);
        Assert.False(test.CredentialsRejected);
        Assert.Contains("quota", test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_booking_whose_answer_was_lost_is_found_on_the_retry_and_booked_once()
    {
        var connector = _rig.NewConnector();
        var context = YukiRig.Context(YukiRig.SalesInvoice(), YukiRig.Settings());
        Fake.LoseNextResponseAfterBooking = true;

        var lost = await connector.DeliverAsync(context, default);
        var retried = await connector.DeliverAsync(context, default);

        Assert.Equal(DeliveryResultKind.Transient, lost.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, retried.Kind);
        var booked = Assert.Single(Fake.SalesInvoices);
        Assert.Equal(booked.Id.ToString(), retried.Reference);
    }

    [Fact]
    public async Task An_upload_whose_answer_was_lost_is_found_on_the_retry_and_uploaded_once()
    {
        var connector = _rig.NewConnector();
        var context = YukiRig.Context(YukiRig.PurchaseInvoice(), YukiRig.Settings());
        Fake.LoseNextResponseAfterBooking = true;

        var lost = await connector.DeliverAsync(context, default);
        var retried = await connector.DeliverAsync(context, default);

        Assert.Equal(DeliveryResultKind.Transient, lost.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, retried.Kind);
        var uploaded = Assert.Single(Fake.Documents);
        Assert.Equal(uploaded.Id.ToString(), retried.Reference);
        Assert.Contains(context.DeliveryId[..12], uploaded.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invoice_Yuki_refuses_fails_permanently_with_Yukis_own_message()
    {
        var connector = _rig.NewConnector();

        var result = await connector.DeliverAsync(YukiRig.Context(YukiRig.SalesInvoice(), YukiRig.Settings(options: ("glAccountCode", "999999"))), default);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Null(result.ConnectionProblem);
        Assert.Equal("Yuki refused sales invoice KOP-2026-0042: GL account '999999' does not exist in this administration", result.Reason);
    }

    [Fact]
    public async Task A_SOAP_fault_is_passed_on_in_Yukis_words_without_the_ASMX_prefix()
    {
        var connector = _rig.NewConnector();
        var settings = YukiRig.Settings();
        await connector.TestConnectionAsync(settings, default);
        Fake.FaultNextCall = "Server was unable to process request. ---> Boekjaar 2026 is afgesloten";

        var result = await connector.DeliverAsync(YukiRig.Context(YukiRig.SalesInvoice(), settings), default);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.EndsWith(": Boekjaar 2026 is afgesloten", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("Server was unable", result.Reason, StringComparison.Ordinal);
        Assert.Empty(Fake.SalesInvoices);
    }

    [Fact]
    public async Task Answers_sent_as_escaped_text_are_read_like_XML_answers()
    {
        var connector = _rig.NewConnector();
        Fake.AnswerWithEscapedText = true;
        var context = YukiRig.Context(YukiRig.SalesInvoice(), YukiRig.Settings(options: ("glAccountCode", "999999")));

        var refused = await connector.DeliverAsync(context, default);
        var test = await connector.TestConnectionAsync(YukiRig.Settings(), default);

        Assert.Equal(DeliveryResultKind.Permanent, refused.Kind);
        Assert.Contains("GL account '999999' does not exist", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(2, test.Choices.Count);
    }

    [Fact]
    public async Task An_invalid_key_marks_the_connection_broken_and_the_test_says_the_credentials_were_rejected()
    {
        var connector = _rig.NewConnector();
        var settings = YukiRig.Settings(key: "00000000-WRONG-KEY");

        var result = await connector.DeliverAsync(YukiRig.Context(YukiRig.SalesInvoice(), settings), default);
        var test = await connector.TestConnectionAsync(settings, default);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains("access key", result.Reason, StringComparison.Ordinal);
        Assert.False(test.Success);
        Assert.True(test.CredentialsRejected);
    }

    [Fact]
    public async Task An_administration_the_key_no_longer_reaches_breaks_the_connection_without_a_call_per_delivery()
    {
        var connector = _rig.NewConnector();
        var settings = YukiRig.Settings(key: YukiRig.AdministrationKey, administration: YukiRig.Slagerij);

        var first = await connector.DeliverAsync(YukiRig.Context(YukiRig.SalesInvoice(), settings), default);
        var callsAfterFirst = Fake.Calls.Count;
        var second = await connector.DeliverAsync(YukiRig.Context(YukiRig.Coda(), settings), default);

        Assert.Equal(ConnectionHealthStatus.Broken, first.ConnectionProblem);
        Assert.Contains(YukiRig.Slagerij.ToString(), first.Reason, StringComparison.Ordinal);
        Assert.Equal(ConnectionHealthStatus.Broken, second.ConnectionProblem);
        Assert.Equal(callsAfterFirst, Fake.Calls.Count);
    }

    [Fact]
    public async Task The_connection_test_lists_the_administrations_of_a_domain_key_and_names_the_key_kind()
    {
        var connector = _rig.NewConnector();

        var unchosen = await connector.TestConnectionAsync(TestDeliveries.Settings(
            new Dictionary<string, string>(), new Dictionary<string, string> { ["apiKey"] = YukiRig.DomainKey }), default);
        var chosen = await connector.TestConnectionAsync(YukiRig.Settings(administration: YukiRig.Slagerij), default);

        Assert.False(unchosen.Success);
        Assert.Contains("domain key", unchosen.Message, StringComparison.Ordinal);
        Assert.Equal(
            [new ConnectionChoice("administrationId", YukiRig.Bakkerij.ToString(), "Bakkerij Peeters BV"), new ConnectionChoice("administrationId", YukiRig.Slagerij.ToString(), "Slagerij Peeters BV")],
            unchosen.Choices);
        Assert.True(chosen.Success);
        Assert.Contains("'Slagerij Peeters BV'", chosen.Message, StringComparison.Ordinal);
        Assert.Contains("'glAccountCode'", unchosen.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_test_recognises_an_administration_key_and_a_choice_it_does_not_reach()
    {
        var connector = _rig.NewConnector();

        var result = await connector.TestConnectionAsync(YukiRig.Settings(key: YukiRig.AdministrationKey, administration: YukiRig.Slagerij), default);

        Assert.False(result.Success);
        Assert.False(result.CredentialsRejected);
        Assert.Contains("administration key for 'Bakkerij Peeters BV'", result.Message, StringComparison.Ordinal);
        Assert.Contains("not among them", result.Message, StringComparison.Ordinal);
        Assert.Equal([YukiRig.Bakkerij.ToString()], result.Choices.Select(c => c.Value));
    }

    [Fact]
    public async Task The_access_key_never_shows_in_a_result_or_a_test_message_even_when_Yuki_echoes_it()
    {
        var connector = _rig.NewConnector();
        var settings = YukiRig.Settings(key: YukiRig.DomainKey);
        Fake.FaultNextCall = $"Server was unable to process request. ---> Access key {YukiRig.DomainKey} is not valid";

        var result = await connector.DeliverAsync(YukiRig.Context(YukiRig.SalesInvoice(), settings), default);
        Fake.FaultNextCall = $"Server was unable to process request. ---> Access key {YukiRig.DomainKey} is not valid";
        var test = await connector.TestConnectionAsync(settings, default);
        var invalid = Assert.Throws<ConnectorConfigurationException>(() => YukiSettings.From(YukiRig.Settings(options: ("dailyQuota", "2000"))));

        Assert.NotNull(result.Reason);
        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.DoesNotContain(YukiRig.DomainKey, result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(YukiRig.DomainKey, test.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(YukiRig.DomainKey, invalid.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(YukiRig.DomainKey, YukiSettings.From(settings).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_refuse_booking_without_a_GL_account_and_quotas_Yuki_does_not_sell()
    {
        var noAccount = Assert.Throws<ConnectorConfigurationException>(() => YukiSettings.From(YukiRig.SettingsWithout("glAccountCode")));
        var badQuota = Assert.Throws<ConnectorConfigurationException>(() => YukiSettings.From(YukiRig.Settings(options: ("dailyQuota", "2000"))));
        var handOverOnly = YukiSettings.From(TestDeliveries.Settings(
            new Dictionary<string, string> { ["administrationId"] = YukiRig.Bakkerij.ToString(), ["salesInvoiceMode"] = "handover" },
            new Dictionary<string, string> { ["apiKey"] = "k" }));

        Assert.Contains("'glAccountCode'", noAccount.Message, StringComparison.Ordinal);
        Assert.Contains("1000, 5000 or 10000", badQuota.Message, StringComparison.Ordinal);
        Assert.Equal(YukiMode.HandOver, handOverOnly.SalesInvoiceMode);
        Assert.Equal(1000, handOverOnly.DailyQuota);
    }

    [Fact]
    public async Task A_lookup_Yuki_was_too_busy_to_answer_is_retried_and_every_attempt_is_counted()
    {
        var quota = new InMemoryDailyQuota();
        var connector = _rig.NewConnector(quota);
        Fake.AnswerUnavailableOnce("CheckOutstandingItemAdmin");

        var result = await connector.DeliverAsync(YukiRig.Context(YukiRig.SalesInvoice(), YukiRig.Settings()), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal(2, Fake.Calls.Count(c => c == "Accounting.CheckOutstandingItemAdmin"));
        Assert.Single(Fake.SalesInvoices);
        Assert.Equal(Fake.Calls.Count, await quota.UsedAsync(QuotaScope, BrusselsToday(), default));
    }

    [Fact]
    public async Task A_booking_Yuki_was_too_busy_to_answer_is_not_repeated_blindly_but_left_for_the_next_attempt()
    {
        var connector = _rig.NewConnector();
        var context = YukiRig.Context(YukiRig.SalesInvoice(), YukiRig.Settings());
        Fake.AnswerUnavailableOnce("ProcessSalesInvoices");

        var busy = await connector.DeliverAsync(context, default);
        var next = await connector.DeliverAsync(context, default);

        Assert.Equal(DeliveryResultKind.Transient, busy.Kind);
        Assert.Contains("503", busy.Reason, StringComparison.Ordinal);
        Assert.Equal(DeliveryResultKind.Delivered, next.Kind);
        Assert.Equal(2, Fake.Calls.Count(c => c == "Sales.ProcessSalesInvoices"));
        Assert.Single(Fake.SalesInvoices);
    }

    [Fact]
    public async Task A_Dutch_connection_talks_to_the_Dutch_host()
    {
        var nowhere = $"http://127.0.0.1:{TestServices.FreeClosedPort()}/ws/";
        var connector = _rig.NewConnector(belgianBaseUrl: nowhere);

        var result = await connector.DeliverAsync(YukiRig.Context(YukiRig.Coda(), YukiRig.Settings(options: ("country", "NL"))), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal(3, Assert.Single(Fake.Documents).Folder);
    }

    [Fact]
    public void The_catalogue_shows_what_Yuki_really_offers_and_what_is_assumed()
    {
        var descriptor = _rig.NewConnector().Descriptor;

        Assert.Equal(
            ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection | ConnectorCapabilities.ListAdministrations | ConnectorCapabilities.ReadPayments
            | ConnectorCapabilities.ReadRelations | ConnectorCapabilities.ReadLedgerAccounts | ConnectorCapabilities.ReadVatCodes,
            descriptor.Capabilities);
        Assert.Equal(DeliveryMode.BookEntry, descriptor.Delivers[DocumentKind.SalesInvoice]);
        Assert.Equal(Enum.GetValues<DocumentKind>(), descriptor.Delivers.Keys.Order());
        Assert.Equal(["apiKey"], descriptor.Settings.Where(s => s.Secret).Select(s => s.Name));
        Assert.Contains("session lifetime", descriptor.Notes, StringComparison.Ordinal);
    }

    private static DateOnly BrusselsToday() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels")).DateTime);

    private static string? Descendant(System.Xml.Linq.XElement element, string name) =>
        element.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
