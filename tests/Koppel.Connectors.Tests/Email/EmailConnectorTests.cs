using Koppel.Connectors.Email;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using MimeKit;

namespace Koppel.Connectors.Tests.Email;

[Collection(SmtpSinkCollection.Name)]
public sealed class EmailConnectorTests
{
    private const string PurchaseMailbox = "aankoop@bureau-janssens.be";
    private const string SalesMailbox = "verkoop@bureau-janssens.be";

    private readonly SmtpSink _sink;
    private readonly EmailConnector _connector = new(TestNetwork.LoopbackAllowed);

    public EmailConnectorTests(SmtpSink sink)
    {
        _sink = sink;
    }

    private ConnectorSettings Settings(string? password = null, Action<Dictionary<string, string>>? change = null)
    {
        var options = _sink.Options();
        options["mailbox.PurchaseInvoice"] = PurchaseMailbox;
        options["mailbox.SalesInvoice"] = SalesMailbox;
        change?.Invoke(options);
        return TestDeliveries.Settings(options, new Dictionary<string, string> { ["password"] = password ?? _sink.Password });
    }

    private static string NewDeliveryId() => "d" + Guid.NewGuid().ToString("N");

    private static TestDocument InvoiceWithPdf(out byte[] pdf)
    {
        pdf = TestDeliveries.RandomBytes(250_000, seed: 7);
        return new TestDocument("INV-2026-0042.xml", TestDeliveries.Ubl("INV-2026-0042"))
            .WithAttachment("INV-2026-0042.pdf", "application/pdf", pdf);
    }

    private static async Task<byte[]> BytesOf(MimePart part)
    {
        using var buffer = new MemoryStream();
        await part.Content!.DecodeToAsync(buffer);
        return buffer.ToArray();
    }

    [Fact]
    public async Task The_message_lands_in_the_kinds_mailbox_with_the_original_byte_for_byte()
    {
        var document = InvoiceWithPdf(out _);
        var deliveryId = NewDeliveryId();

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, Settings(), EmailConnector.ProviderKey, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal($"<{deliveryId}@koppel.invalid>", result.Reference);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(PurchaseMailbox, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("koppel@example.be", Assert.Single(message.From.Mailboxes).Address);
        Assert.Equal("Bakkerij Peeters BV – Purchase invoice INV-2026-0042", message.Subject);
        Assert.Contains("purchase invoice INV-2026-0042", message.TextBody, StringComparison.Ordinal);
        var attachment = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("INV-2026-0042.xml", attachment.FileName);
        Assert.Equal(document.Content, await BytesOf(attachment));
    }

    [Fact]
    public async Task Original_plus_pdf_attaches_the_ubl_and_its_embedded_pdf()
    {
        var document = InvoiceWithPdf(out var pdf);
        var deliveryId = NewDeliveryId();
        var settings = Settings(change: o => o["attach.PurchaseInvoice"] = "original+pdf");

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, settings, EmailConnector.ProviderKey, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        var parts = message.Attachments.Cast<MimePart>().ToList();
        Assert.Equal(["INV-2026-0042.xml", "INV-2026-0042.pdf"], parts.Select(p => p.FileName));
        Assert.Equal(document.Content, await BytesOf(parts[0]));
        Assert.Equal(pdf, await BytesOf(parts[1]));
        Assert.Equal("application/pdf", parts[1].ContentType.MimeType);
    }

    [Fact]
    public async Task Pdf_attaches_only_the_pdf_and_falls_back_to_the_original_without_one()
    {
        var withPdf = InvoiceWithPdf(out var pdf);
        var withoutPdf = new TestDocument("no-pdf.xml", TestDeliveries.Ubl("no-pdf"));
        var settings = Settings(change: o => o["attach.PurchaseInvoice"] = "pdf");
        var firstId = NewDeliveryId();
        var secondId = NewDeliveryId();

        await _connector.DeliverAsync(TestDeliveries.Context(withPdf, settings, EmailConnector.ProviderKey, firstId), CancellationToken.None);
        await _connector.DeliverAsync(TestDeliveries.Context(withoutPdf, settings, EmailConnector.ProviderKey, secondId), CancellationToken.None);

        var first = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{firstId}@koppel.invalid"));
        Assert.Equal(pdf, await BytesOf(Assert.IsType<MimePart>(Assert.Single(first.Attachments))));
        var second = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{secondId}@koppel.invalid"));
        Assert.Equal(withoutPdf.Content, await BytesOf(Assert.IsType<MimePart>(Assert.Single(second.Attachments))));
    }

    [Fact]
    public async Task A_resend_of_the_same_delivery_carries_the_same_message_id()
    {
        var document = new TestDocument("resend.xml", TestDeliveries.Ubl("resend"));
        var deliveryId = NewDeliveryId();
        var context = TestDeliveries.Context(document, Settings(), EmailConnector.ProviderKey, deliveryId);

        var first = await _connector.DeliverAsync(context, CancellationToken.None);
        var second = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(first.Reference, second.Reference);
        var messages = await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid");
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal(deliveryId, m.Headers["X-Koppel-Delivery-Id"]));
    }

    [Fact]
    public async Task Attachments_stream_from_a_non_seekable_archive_stream()
    {
        var pdf = TestDeliveries.RandomBytes(1_200_000, seed: 11);
        var document = new TestDocument("big.xml", TestDeliveries.Ubl("big")).WithAttachment("big.pdf", "application/pdf", pdf);
        var deliveryId = NewDeliveryId();
        var context = new DeliveryContext(
            deliveryId,
            TestDeliveries.Dossier,
            new Connection { Id = "conn-1", DossierId = TestDeliveries.DossierId, Provider = EmailConnector.ProviderKey, DocumentKinds = new HashSet<DocumentKind> { DocumentKind.PurchaseInvoice } },
            document.Record,
            Settings(change: o => o["attach.PurchaseInvoice"] = "pdf"),
            async (id, ct) => new TripwireStream(await document.OpenAsync(id, ct), long.MaxValue, () => { }));

        var result = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(pdf, await BytesOf(Assert.IsType<MimePart>(Assert.Single(message.Attachments))));
    }

    [Fact]
    public async Task A_wrong_password_is_permanent_535_without_the_password()
    {
        const string wrongPassword = "Not-The-Smtp-Pass-0815";
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, Settings(wrongPassword), EmailConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.StartsWith($"authentication failed for user {_sink.User} at 127.0.0.1:{_sink.Port}: 535", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongPassword, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_kind_without_a_mailbox_is_permanent()
    {
        var document = new TestDocument("coda.cod", [1, 2, 3], DocumentKind.BankStatement, DocumentFormat.Coda);

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, Settings(), EmailConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.StartsWith("no mailbox for kind BankStatement", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nobody@reject.invalid", DeliveryResultKind.Permanent, "refused the recipient nobody@reject.invalid: 550")]
    [InlineData("later@tempfail.invalid", DeliveryResultKind.Transient, "refused the recipient later@tempfail.invalid: 451")]
    public async Task A_refused_recipient_is_permanent_for_5xx_and_transient_for_4xx(string mailbox, DeliveryResultKind expected, string reason)
    {
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));
        var settings = Settings(change: o => o["mailbox.PurchaseInvoice"] = mailbox);

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, settings, EmailConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(expected, result.Kind);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_is_transient()
    {
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));
        var settings = Settings(change: o => o["smtpPort"] = TestServices.FreeClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture));

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, settings, EmailConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Transient, result.Kind);
        Assert.StartsWith("could not connect to 127.0.0.1:", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("starttls", "does not support")]
    [InlineData("ssl", "the TLS handshake with 127.0.0.1")]
    public async Task Asking_for_tls_from_a_plain_server_is_permanent(string security, string reason)
    {
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));
        var settings = Settings(change: o => o["security"] = security);

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, settings, EmailConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_connection_logs_in_and_lists_the_routes()
    {
        var test = await _connector.TestConnectionAsync(Settings(), CancellationToken.None);

        Assert.True(test.Success, test.Message);
        Assert.Contains($"PurchaseInvoice → {PurchaseMailbox}", test.Message, StringComparison.Ordinal);
        Assert.Contains("Not delivered (no mailbox): BankStatement, OtherDocument, ExpenseClaim.", test.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("security", "none", "smtpHost", "smtp.example.be", "'security' none is only allowed for a server on this machine")]
    [InlineData("attach.SalesInvoice", "zip", null, null, "'attach.SalesInvoice' must be original, original+pdf or pdf, not 'zip'.")]
    [InlineData("mailbox.SalesInvoice", "not an address", null, null, "'mailbox.SalesInvoice' is not an e-mail address")]
    [InlineData("from", "", null, null, "'from' (the sender address) is required.")]
    public async Task Settings_are_validated_with_clear_messages(string key, string value, string? otherKey, string? otherValue, string expected)
    {
        var settings = Settings(change: o =>
        {
            o[key] = value;
            if (otherKey is not null)
            {
                o[otherKey] = otherValue!;
            }
        });

        var test = await _connector.TestConnectionAsync(settings, CancellationToken.None);

        Assert.False(test.Success);
        Assert.Contains(expected, test.Message, StringComparison.Ordinal);
    }
}
