using Koppel.Connectors.Tests.Support;
using Koppel.Connectors.WingsOnline;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using MimeKit;

namespace Koppel.Connectors.Tests.WingsOnline;

/// <summary>Wings Online has no public document API: its invoices go to the dossier's Wings Online import mailbox, here the suite's real SMTP sink.</summary>
[Collection(SmtpSinkCollection.Name)]
public sealed class WingsOnlineThroughEmailTests(SmtpSink sink)
{
    private const string ImportAddress = "inbox.42@wings.example";
    private const string VendorSecret = "wings-secret-8";
    private readonly WingsOnlineConnector _connector = new(TestNetwork.LoopbackAllowed);

    private ConnectorSettings Settings() => VendorChannels.ByEmail(sink, ImportAddress, new Dictionary<string, string> { ["user"] = "Wings8peeters", ["password"] = "wings-secret-8", ["internalNumber"] = "42", ["salesJournal"] = "VF", ["purchaseJournal"] = "AF" });

    [Fact]
    public async Task A_purchase_invoice_arrives_in_the_wingsonline_import_mailbox_as_one_mail_with_its_ubl_attached()
    {
        var document = new TestDocument("WO-2026-0042.xml", TestDeliveries.Ubl("WO-2026-0042"), DocumentKind.PurchaseInvoice, number: "WO-2026-0042");
        var deliveryId = VendorChannels.NewDeliveryId();

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, Settings(), WingsOnlineConnector.Key, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(ImportAddress, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Bakkerij Peeters BV – Purchase invoice WO-2026-0042", message.Subject);
        var attachment = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("WO-2026-0042.xml", attachment.FileName);
        using var bytes = new MemoryStream();
        await attachment.Content!.DecodeToAsync(bytes);
        Assert.Equal(document.Content, bytes.ToArray());
        Assert.DoesNotContain(VendorSecret, message.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sales_invoice_goes_to_the_same_import_mailbox_under_its_own_subject()
    {
        var document = new TestDocument("V-WO-2026-0042.xml", TestDeliveries.Ubl("V-WO-2026-0042"), DocumentKind.SalesInvoice, number: "V-WO-2026-0042");
        var deliveryId = VendorChannels.NewDeliveryId();

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, Settings(), WingsOnlineConnector.Key, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(ImportAddress, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Bakkerij Peeters BV – Sales invoice V-WO-2026-0042", message.Subject);
    }
}
