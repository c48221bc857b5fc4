using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using MimeKit;

namespace Koppel.Connectors.Tests.Common;

/// <summary>
/// PingWin, BoCount, Count-e and Wings Online have no public document API: their invoices go to the dossier's import
/// mailbox at the vendor, here the suite's real SMTP sink.
/// </summary>
[Collection(SmtpSinkCollection.Name)]
public sealed class PendingApiThroughEmailTests(SmtpSink sink)
{
    private ConnectorSettings Settings(PendingApiVendor vendor) => VendorChannels.ByEmail(sink, vendor.ImportAddress, vendor.Settings);

    [Theory]
    [MemberData(nameof(PendingApiVendor.Keys), MemberType = typeof(PendingApiVendor))]
    public async Task A_purchase_invoice_arrives_in_the_vendors_import_mailbox_as_one_mail_with_its_ubl_attached_and_no_vendor_secret(string key)
    {
        var vendor = PendingApiVendor.All[key];
        var document = new TestDocument($"{vendor.Number}.xml", TestDeliveries.Ubl(vendor.Number), DocumentKind.PurchaseInvoice, number: vendor.Number);
        var deliveryId = VendorChannels.NewDeliveryId();

        var result = await vendor.Connector().DeliverAsync(TestDeliveries.Context(document, Settings(vendor), vendor.Key, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(vendor.ImportAddress, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal($"Bakkerij Peeters BV – Purchase invoice {vendor.Number}", message.Subject);
        var attachment = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal($"{vendor.Number}.xml", attachment.FileName);
        using var bytes = new MemoryStream();
        await attachment.Content!.DecodeToAsync(bytes);
        Assert.Equal(document.Content, bytes.ToArray());
        Assert.DoesNotContain(vendor.VendorSecret, message.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PendingApiVendor.Keys), MemberType = typeof(PendingApiVendor))]
    public async Task A_sales_invoice_goes_to_the_same_import_mailbox_under_its_own_subject(string key)
    {
        var vendor = PendingApiVendor.All[key];
        var number = "V-" + vendor.Number;
        var document = new TestDocument($"{number}.xml", TestDeliveries.Ubl(number), DocumentKind.SalesInvoice, number: number);
        var deliveryId = VendorChannels.NewDeliveryId();

        var result = await vendor.Connector().DeliverAsync(TestDeliveries.Context(document, Settings(vendor), vendor.Key, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(vendor.ImportAddress, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal($"Bakkerij Peeters BV – Sales invoice {number}", message.Subject);
    }
}
