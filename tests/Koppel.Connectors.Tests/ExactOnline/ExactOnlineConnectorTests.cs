using System.Text.Json.Nodes;
using Koppel.Connectors.ExactOnline;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Microsoft.Extensions.Time.Testing;

namespace Koppel.Connectors.Tests.ExactOnline;

public sealed class ExactOnlineConnectorTests : IAsyncLifetime
{
    private const int Division = ExactHarness.Division;

    private ExactHarness _exact = null!;
    private ExactOnlineConnector _connector = null!;
    private string _consent = null!;

    public async Task InitializeAsync()
    {
        _exact = await ExactHarness.StartAsync();
        _connector = _exact.NewProcess();
        _consent = await _exact.ConsentAsync(_connector);
    }

    public async Task DisposeAsync() => await _exact.DisposeAsync();

    private static decimal Decimal(JsonNode? node) => node!.GetValue<decimal>();

    [Fact]
    public async Task A_sales_invoice_in_book_mode_becomes_a_sales_entry_per_VAT_rate_with_its_PDF_attached()
    {
        var result = await _connector.DeliverAsync(ExactHarness.Context(ExactHarness.SalesInvoice(), ExactHarness.Settings(_consent, salesMode: "book")), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var entry = Assert.Single(_exact.Fake.Rows(Division, "salesentry/SalesEntries"));
        Assert.Equal(20, entry["Type"]!.GetValue<int>());
        Assert.Equal("KOP-2026-0042", entry["YourRef"]!.GetValue<string>());
        Assert.Equal("70", entry["Journal"]!.GetValue<string>());
        Assert.Equal("+++090/9337/55493+++", entry["PaymentReference"]!.GetValue<string>());
        Assert.StartsWith(entry["EntryNumber"]!.ToJsonString(), result.Reference, StringComparison.Ordinal);
        Assert.Contains(entry["EntryID"]!.GetValue<string>(), result.Reference, StringComparison.Ordinal);

        var lines = entry["SalesEntryLines"]!.AsArray().Select(l => (Amount: Decimal(l!["AmountFC"]), Vat: Decimal(l["VATAmountFC"]), Code: l["VATCode"]!.GetValue<string>())).OrderBy(l => l.Code).ToList();
        Assert.Equal([(120.00m, 7.20m, "2"), (98.57m, 20.70m, "4")], lines);

        // The customer was not known yet: created with its VAT number, and the entry points at it.
        var customer = Assert.Single(_exact.Fake.Rows(Division, "crm/Accounts"));
        Assert.Equal("BE0876543270", customer["VATNumber"]!.GetValue<string>());
        Assert.Equal(customer["ID"]!.GetValue<string>(), entry["Customer"]!.GetValue<string>());

        var document = Assert.Single(_exact.Fake.Rows(Division, "documents/Documents"));
        Assert.Equal(entry["EntryID"]!.GetValue<string>(), document["FinancialTransactionEntryID"]!.GetValue<string>());
        var pdf = Assert.Single(_exact.Fake.Rows(Division, "documents/DocumentAttachments"));
        Assert.Equal(ExactHarness.PdfBytes, Convert.FromBase64String(pdf["Attachment"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_purchase_invoice_in_book_mode_is_booked_against_the_supplier_found_by_VAT_number()
    {
        var supplier = _exact.Fake.AddAccount(Division, "Demo Bakkerij BV", "BE0403170701");

        var result = await _connector.DeliverAsync(ExactHarness.Context(ExactHarness.PurchaseInvoice(), ExactHarness.Settings(_consent, purchaseMode: "book")), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var entry = Assert.Single(_exact.Fake.Rows(Division, "purchaseentry/PurchaseEntries"));
        Assert.Equal(30, entry["Type"]!.GetValue<int>());
        Assert.Equal("60", entry["Journal"]!.GetValue<string>());
        Assert.Equal(supplier.ToString(), entry["Supplier"]!.GetValue<string>());
        Assert.Single(_exact.Fake.Rows(Division, "crm/Accounts"));
        Assert.Single(_exact.Fake.Rows(Division, "documents/DocumentAttachments"));
    }

    [Theory]
    [InlineData(DocumentKind.SalesInvoice, "salesentry/SalesEntries", "SalesEntryLines", 21)]
    [InlineData(DocumentKind.PurchaseInvoice, "purchaseentry/PurchaseEntries", "PurchaseEntryLines", 31)]
    public async Task A_credit_note_is_booked_as_a_credit_note_not_a_negative_invoice(DocumentKind kind, string resource, string linesField, int creditType)
    {
        var result = await _connector.DeliverAsync(ExactHarness.Context(ExactHarness.CreditNote(kind), ExactHarness.Settings(_consent, "book", "book")), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var entry = Assert.Single(_exact.Fake.Rows(Division, resource));
        Assert.Equal(creditType, entry["Type"]!.GetValue<int>());
        Assert.Equal("MOL-CN-118", entry["YourRef"]!.GetValue<string>());
        var line = Assert.Single(entry[linesField]!.AsArray());

        // 55.00 + 3.30 VAT credited: signed as they hit the ledger.
        Assert.Equal(-55.00m, Decimal(line!["AmountFC"]));
        Assert.Equal(-3.30m, Decimal(line["VATAmountFC"]));
        Assert.Equal("2", line["VATCode"]!.GetValue<string>());
    }

    public static TheoryData<string, DocumentKind, int, int[]> PostboxCases => new()
    {
        { "sales UBL", DocumentKind.SalesInvoice, 1100, [130, 10] },
        { "purchase UBL", DocumentKind.PurchaseInvoice, 1000, [130, 10] },
        { "CODA", DocumentKind.BankStatement, 2000, [70] },
        { "PDF", DocumentKind.OtherDocument, 0, [10] },
        { "expense claim", DocumentKind.ExpenseClaim, 1000, [10] },
    };

    [Theory]
    [MemberData(nameof(PostboxCases))]
    public async Task Every_kind_reaches_the_division_postbox_with_the_right_message_and_attachment_types(string what, DocumentKind kind, int messageType, int[] attachmentTypes)
    {
        var document = what switch
        {
            "sales UBL" => ExactHarness.SalesInvoice(),
            "purchase UBL" => ExactHarness.PurchaseInvoice(),
            "CODA" => ExactHarness.Coda(),
            _ => ExactHarness.Pdf(kind),
        };

        var result = await _connector.DeliverAsync(ExactHarness.Context(document, ExactHarness.Settings(_consent)), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(_exact.Fake.Rows(Division, "mailbox/MailMessagesSent"));
        Assert.Equal(messageType, message["Type"]!.GetValue<int>());
        Assert.Equal($"{Division}@fake.exactonline.be", message["RecipientMailbox"]!.GetValue<string>());
        Assert.Equal(Division, message["ForDivision"]!.GetValue<int>());
        Assert.Equal(message["ID"]!.GetValue<string>(), result.Reference);
        var attachments = _exact.Fake.Rows(Division, "mailbox/MailMessageAttachments");
        Assert.Equal(attachmentTypes, attachments.Select(a => a["Type"]!.GetValue<int>()));
        Assert.Equal(document.Content, Convert.FromBase64String(attachments[0]["Attachment"]!.GetValue<string>()));
        Assert.Empty(_exact.Fake.Rows(Division, "salesentry/SalesEntries"));
    }

    [Fact]
    public async Task A_retry_after_a_lost_answer_books_the_entry_once_and_reports_Exacts_entry()
    {
        var context = ExactHarness.Context(ExactHarness.SalesInvoice(), ExactHarness.Settings(_consent, salesMode: "book"));
        _exact.Fake.DropResponseAfterBooking = true;

        var lost = await _connector.DeliverAsync(context, default);
        var retried = await _connector.DeliverAsync(context, default);

        Assert.Equal(DeliveryResultKind.Transient, lost.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, retried.Kind);
        var entry = Assert.Single(_exact.Fake.Rows(Division, "salesentry/SalesEntries"));
        Assert.Contains(entry["EntryID"]!.GetValue<string>(), retried.Reference, StringComparison.Ordinal);
        Assert.Single(_exact.Fake.Rows(Division, "documents/DocumentAttachments"));
    }

    [Fact]
    public async Task A_retry_after_a_lost_answer_sends_the_postbox_message_once_with_all_its_attachments()
    {
        var context = ExactHarness.Context(ExactHarness.SalesInvoice(), ExactHarness.Settings(_consent));
        _exact.Fake.DropResponseAfterBooking = true;

        var lost = await _connector.DeliverAsync(context, default);
        var retried = await _connector.DeliverAsync(context, default);

        Assert.Equal(DeliveryResultKind.Transient, lost.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, retried.Kind);
        var message = Assert.Single(_exact.Fake.Rows(Division, "mailbox/MailMessagesSent"));
        Assert.Equal(message["ID"]!.GetValue<string>(), retried.Reference);
        Assert.Equal(2, _exact.Fake.Rows(Division, "mailbox/MailMessageAttachments").Count);
    }

    [Fact]
    public async Task An_OData_error_reaches_the_user_in_Exacts_own_words_and_is_not_retried()
    {
        _exact.Fake.FailNext("POST", "salesentry/SalesEntries", 400, "The financial year 2026 is closed");

        var result = await _connector.DeliverAsync(ExactHarness.Context(ExactHarness.SalesInvoice(), ExactHarness.Settings(_consent, salesMode: "book")), default);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal("Exact Online refused the sales entry: The financial year 2026 is closed.", result.Reason);
        Assert.Single(_exact.Fake.Requests, r => r.StartsWith("POST", StringComparison.Ordinal) && r.Contains("SalesEntries", StringComparison.Ordinal));
        Assert.Null(result.ConnectionProblem);
    }

    [Fact]
    public async Task An_unknown_GL_account_fails_for_good_naming_the_setting()
    {
        var wrong = TestDeliveries.Settings(
            new Dictionary<string, string>
            {
                [ExactOnlineSettings.DivisionKey] = Division.ToString(System.Globalization.CultureInfo.InvariantCulture),
                [ExactOnlineSettings.SalesModeKey] = "book",
                [ExactOnlineSettings.SalesJournalKey] = "70",
                [ExactOnlineSettings.SalesGLAccountKey] = "799999",
                [ExactOnlineSettings.VatCodesKey] = "21=4;6=2",
            },
            new Dictionary<string, string> { [ExactOnlineSettings.ConsentIdKey] = _consent });

        var result = await _connector.DeliverAsync(ExactHarness.Context(ExactHarness.SalesInvoice(), wrong), default);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains("GL account '799999' does not exist", result.Reason, StringComparison.Ordinal);
        Assert.Empty(_exact.Fake.Rows(Division, "salesentry/SalesEntries"));
    }

    [Fact]
    public async Task Too_many_calls_give_a_transient_result_that_waits_until_Exacts_minutely_reset()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(42);
        _exact.Fake.RespondTooManyRequests(1, reset);

        var result = await _connector.DeliverAsync(ExactHarness.Context(ExactHarness.Pdf(DocumentKind.OtherDocument), ExactHarness.Settings(_consent)), default);

        Assert.Equal(DeliveryResultKind.Transient, result.Kind);
        Assert.InRange(result.RetryAfter!.Value, TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(43));
        Assert.Empty(_exact.Fake.Rows(Division, "mailbox/MailMessagesSent"));
    }

    [Fact]
    public async Task A_used_up_day_defers_the_delivery_until_Exacts_daily_reset_without_calling_again()
    {
        _exact.Fake.RespondTooManyRequests(1, DateTimeOffset.UtcNow.AddSeconds(30), dailyUsedUp: true);

        var first = await _connector.DeliverAsync(ExactHarness.Context(ExactHarness.Pdf(DocumentKind.OtherDocument), ExactHarness.Settings(_consent)), default);
        var calls = _exact.Fake.Requests.Count;
        var second = await _connector.DeliverAsync(ExactHarness.Context(ExactHarness.Pdf(DocumentKind.OtherDocument), ExactHarness.Settings(_consent)), default);

        Assert.Equal(DeliveryResultKind.Deferred, first.Kind);
        var midnight = new DateTimeOffset(DateTimeOffset.UtcNow.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        Assert.Equal(midnight, first.NotBefore);
        Assert.Equal(DeliveryResultKind.Deferred, second.Kind);
        Assert.Equal(calls, _exact.Fake.Requests.Count);
    }

    [Fact]
    public async Task Koppel_holds_back_by_itself_when_a_divisions_calls_for_the_day_are_spent_and_other_divisions_go_on()
    {
        _exact.ExtraConfiguration[$"{ExactOnlineOptions.SectionName}:CallsPerDay"] = "6";
        var connector = _exact.NewProcess();
        _exact.Fake.AddDivision(815, "Bakkerij Peeters BV");
        var other = _exact.Fake.AddUser("An Peeters", Division, 815);
        var consent = await _exact.ConsentAsyncFor(connector, other);
        ConnectorSettings For(int division) => ExactHarness.Settings(consent, division: division);

        var first = await connector.DeliverAsync(ExactHarness.Context(ExactHarness.Pdf(DocumentKind.OtherDocument), For(Division)), default);
        var second = await connector.DeliverAsync(ExactHarness.Context(ExactHarness.Pdf(DocumentKind.OtherDocument), For(Division)), default);
        var elsewhere = await connector.DeliverAsync(ExactHarness.Context(ExactHarness.Pdf(DocumentKind.OtherDocument), For(815)), default);

        Assert.Equal(DeliveryResultKind.Delivered, first.Kind);
        Assert.Equal(DeliveryResultKind.Deferred, second.Kind);
        Assert.True(second.NotBefore > DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal(DeliveryResultKind.Delivered, elsewhere.Kind);
        Assert.Single(_exact.Fake.Rows(Division, "mailbox/MailMessagesSent"));
    }

    [Fact]
    public async Task A_division_the_user_lost_access_to_breaks_the_connection()
    {
        _exact.Fake.RevokeDivision(_exact.User, Division);

        var result = await _connector.DeliverAsync(ExactHarness.Context(ExactHarness.Pdf(DocumentKind.OtherDocument), ExactHarness.Settings(_consent)), default);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains($"no access to division {Division}", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_test_offers_the_users_divisions_for_the_division_setting()
    {
        _exact.Fake.AddDivision(815, "Bakkerij Peeters BV");
        var other = _exact.Fake.AddUser("Someone Else", 999);
        Assert.NotEqual(other, _exact.User);

        var test = await _connector.TestConnectionAsync(ExactHarness.Settings(_consent, division: null), default);

        Assert.True(test.Success, test.Message);
        var choice = Assert.Single(test.Choices);
        Assert.Equal(new ConnectionChoice(ExactOnlineSettings.DivisionKey, "4711", "4711 – Administration 4711"), choice);
        Assert.Contains("An Peeters", test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_without_consent_asks_the_user_to_connect_to_Exact()
    {
        var result = await _connector.DeliverAsync(ExactHarness.Context(ExactHarness.Pdf(DocumentKind.OtherDocument), ExactHarness.Settings(consentId: null)), default);
        var test = await _connector.TestConnectionAsync(ExactHarness.Settings(consentId: null), default);

        Assert.Equal(ConnectionHealthStatus.NeedsConsent, result.ConnectionProblem);
        Assert.Contains("connect to Exact", result.Reason, StringComparison.Ordinal);
        Assert.False(test.Success);
        Assert.True(test.NeedsConsent);
    }

    [Fact]
    public async Task Two_connections_of_one_Exact_user_share_one_consent()
    {
        var again = await _exact.ConsentAsync(_connector);

        Assert.Equal(_consent, again);
        Assert.Single(_exact.Ports.Secrets.Keys, k => k.StartsWith("oauth-exact-online-", StringComparison.Ordinal));
        Assert.Equal(_exact.Fake.NewestRefreshToken(_exact.User), _exact.StoredTokens(_consent).GetProperty("RefreshToken").GetString());
    }

    [Fact]
    public void The_descriptor_states_what_the_connector_really_does()
    {
        var descriptor = _connector.Descriptor;

        Assert.Equal(
            ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection | ConnectorCapabilities.ListAdministrations | ConnectorCapabilities.OAuthConsent | ConnectorCapabilities.ReadPayments
            | ConnectorCapabilities.ReadRelations | ConnectorCapabilities.ReadLedgerAccounts | ConnectorCapabilities.ReadVatCodes,
            descriptor.Capabilities);
        Assert.Equal(DeliveryMode.BookEntry, descriptor.Delivers[DocumentKind.SalesInvoice]);
        Assert.Equal(DeliveryMode.HandOver, descriptor.Delivers[DocumentKind.BankStatement]);
        Assert.DoesNotContain(descriptor.Settings, s => s.Secret || s.Name == ExactOnlineSettings.ConsentIdKey);
        Assert.Contains("Assumptions", descriptor.Notes, StringComparison.Ordinal);
    }
}

/// <summary>Token life: reuse, one refresh when it expires, single-flight across workers, refused refreshes.</summary>
public sealed class ExactOnlineTokenTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ExactHarness _exact = null!;

    public async Task InitializeAsync() => _exact = await ExactHarness.StartAsync(_clock);

    public async Task DisposeAsync() => await _exact.DisposeAsync();

    private static DeliveryContext Pdf(string consent) =>
        ExactHarness.Context(ExactHarness.Pdf(DocumentKind.OtherDocument), ExactHarness.Settings(consent));

    [Fact]
    public async Task An_access_token_is_reused_and_renewed_once_when_it_expires_mid_run()
    {
        var connector = _exact.NewProcess();
        var consent = await _exact.ConsentAsync(connector);

        Assert.Equal(DeliveryResultKind.Delivered, (await connector.DeliverAsync(Pdf(consent), default)).Kind);
        Assert.Equal(DeliveryResultKind.Delivered, (await connector.DeliverAsync(Pdf(consent), default)).Kind);
        _clock.Advance(TimeSpan.FromSeconds(580));
        Assert.Equal(DeliveryResultKind.Delivered, (await connector.DeliverAsync(Pdf(consent), default)).Kind);
        Assert.Equal(DeliveryResultKind.Delivered, (await connector.DeliverAsync(Pdf(consent), default)).Kind);

        Assert.Equal(1, _exact.Fake.RefreshCount);
        Assert.Equal(_exact.Fake.NewestRefreshToken(_exact.User), _exact.StoredTokens(consent).GetProperty("RefreshToken").GetString());
    }

    [Fact]
    public async Task An_access_token_is_not_renewed_before_Exact_allows_it()
    {
        _exact.Fake.RefuseEarlyRefresh = true;
        var connector = _exact.NewProcess();
        var consent = await _exact.ConsentAsync(connector);
        _clock.Advance(TimeSpan.FromSeconds(560));

        var result = await connector.DeliverAsync(Pdf(consent), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.DoesNotContain(_exact.Fake.Requests, r => r.Contains("refresh_token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_deliveries_racing_on_one_consent_refresh_once_and_both_succeed()
    {
        var first = _exact.NewProcess();
        var second = _exact.NewProcess();
        var consent = await _exact.ConsentAsync(first);
        Assert.Equal(DeliveryResultKind.Delivered, (await first.DeliverAsync(Pdf(consent), default)).Kind);
        Assert.Equal(DeliveryResultKind.Delivered, (await second.DeliverAsync(Pdf(consent), default)).Kind);
        _clock.Advance(TimeSpan.FromMinutes(10));
        _exact.Fake.RefreshDelay = TimeSpan.FromMilliseconds(400);

        var results = await Task.WhenAll(
            Task.Run(() => first.DeliverAsync(Pdf(consent), default)),
            Task.Run(() => second.DeliverAsync(Pdf(consent), default)));

        Assert.All(results, r => Assert.Equal(DeliveryResultKind.Delivered, r.Kind));
        Assert.Equal(1, _exact.Fake.RefreshCount);
        Assert.Equal(0, _exact.Fake.RefusedRefreshCount);
        Assert.Equal(_exact.Fake.NewestRefreshToken(_exact.User), _exact.StoredTokens(consent).GetProperty("RefreshToken").GetString());
    }

    [Theory]
    [InlineData("superseded")]
    [InlineData("expired")]
    public async Task A_refused_refresh_asks_for_a_new_consent_and_is_never_retried(string why)
    {
        var connector = _exact.NewProcess();
        var consent = await _exact.ConsentAsync(connector);
        if (why == "superseded")
        {
            _exact.Fake.SupersedeRefreshTokens(_exact.User);
        }
        else
        {
            _exact.Fake.ExpireRefreshTokens(_exact.User);
        }

        _clock.Advance(TimeSpan.FromMinutes(10));

        var first = await connector.DeliverAsync(Pdf(consent), default);
        var second = await _exact.NewProcess().DeliverAsync(Pdf(consent), default);
        var test = await connector.TestConnectionAsync(ExactHarness.Settings(consent), default);

        Assert.All(new[] { first, second }, r =>
        {
            Assert.Equal(DeliveryResultKind.Permanent, r.Kind);
            Assert.Equal(ConnectionHealthStatus.NeedsConsent, r.ConnectionProblem);
            Assert.Equal("Exact Online consent expired: open the connection and connect to Exact again.", r.Reason);
        });
        Assert.False(test.Success);
        Assert.True(test.NeedsConsent);
        Assert.Equal(1, _exact.Fake.RefusedRefreshCount);
        Assert.Empty(_exact.Fake.Rows(ExactHarness.Division, "mailbox/MailMessagesSent"));
    }

    [Fact]
    public async Task No_token_or_client_secret_shows_up_in_results_messages_or_logs()
    {
        var connector = _exact.NewProcess();
        var consent = await _exact.ConsentAsync(connector);
        var texts = new List<string?>();
        texts.Add((await connector.DeliverAsync(ExactHarness.Context(ExactHarness.SalesInvoice(), ExactHarness.Settings(consent, salesMode: "book")), default)).Reference);
        _exact.Fake.FailNext("GET", "mailbox/Mailboxes", 400, "Something odd");
        texts.Add((await connector.DeliverAsync(Pdf(consent), default)).Reason);
        _clock.Advance(TimeSpan.FromMinutes(10));
        texts.Add((await connector.TestConnectionAsync(ExactHarness.Settings(consent), default)).Message);
        var stored = _exact.StoredTokens(consent);
        _exact.Fake.SupersedeRefreshTokens(_exact.User);
        _clock.Advance(TimeSpan.FromMinutes(10));
        texts.Add((await connector.DeliverAsync(Pdf(consent), default)).Reason);

        string[] secrets = [_exact.Fake.ClientSecret, stored.GetProperty("AccessToken").GetString()!, stored.GetProperty("RefreshToken").GetString()!];
        Assert.All(texts.Concat(_exact.Logs.Lines), text => Assert.All(secrets, secret => Assert.DoesNotContain(secret, text ?? string.Empty, StringComparison.Ordinal)));
        Assert.NotEmpty(_exact.Logs.Lines);
    }
}
