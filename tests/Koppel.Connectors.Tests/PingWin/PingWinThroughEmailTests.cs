using Koppel.Connectors.PingWin;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using MimeKit;

namespace Koppel.Connectors.Tests.PingWin;

/// <summary>PingWin has no public document API: its invoices go to the dossier's PingWin import mailbox, here the suite's real SMTP sink.</summary>
[Collection(SmtpSinkCollection.Name)]
public sealed class PingWinThroughEmailTests(SmtpSink sink)
{
    private const string ImportAddress = "import.0123456749@pingwin.example";
    private const string VendorSecret = "pw-api-key-4711";
    private readonly PingWinConnector _connector = new(TestNetwork.LoopbackAllowed);

    private ConnectorSettings Settings() => VendorChannels.ByEmail(sink, ImportAddress, new Dictionary<string, string> { ["apiKey"] = "pw-api-key-4711", ["clid"] = "C42", ["fileId"] = "F7" });

    [Fact]
    public async Task A_purchase_invoice_arrives_in_the_pingwin_import_mailbox_as_one_mail_with_its_ubl_attached()
    {
        var document = new TestDocument("PW-2026-0007.xml", TestDeliveries.Ubl("PW-2026-0007"), DocumentKind.PurchaseInvoice, number: "PW-2026-0007");
        var deliveryId = VendorChannels.NewDeliveryId();

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, Settings(), PingWinConnector.Key, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(ImportAddress, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Bakkerij Peeters BV – Purchase invoice PW-2026-0007", message.Subject);
        var attachment = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("PW-2026-0007.xml", attachment.FileName);
        using var bytes = new MemoryStream();
        await attachment.Content!.DecodeToAsync(bytes);
        Assert.Equal(document.Content, bytes.ToArray());
        Assert.DoesNotContain(VendorSecret, message.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sales_invoice_goes_to_the_same_import_mailbox_under_its_own_subject()
    {
        var document = new TestDocument("V-PW-2026-0007.xml", TestDeliveries.Ubl("V-PW-2026-0007"), DocumentKind.SalesInvoice, number: "V-PW-2026-0007");
        var deliveryId = VendorChannels.NewDeliveryId();

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, Settings(), PingWinConnector.Key, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(ImportAddress, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Bakkerij Peeters BV – Sales invoice V-PW-2026-0007", message.Subject);
    }
}
