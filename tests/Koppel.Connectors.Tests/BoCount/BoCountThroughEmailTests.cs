using Koppel.Connectors.BoCount;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using MimeKit;

namespace Koppel.Connectors.Tests.BoCount;

/// <summary>BoCount has no public document API: its invoices go to the dossier's BoCount import mailbox, here the suite's real SMTP sink.</summary>
[Collection(SmtpSinkCollection.Name)]
public sealed class BoCountThroughEmailTests(SmtpSink sink)
{
    private const string ImportAddress = "aankoop.0123456749@bocount.example";
    private const string VendorSecret = "bocount-secret-1";
    private readonly BoCountConnector _connector = new(TestNetwork.LoopbackAllowed);

    private ConnectorSettings Settings() => VendorChannels.ByEmail(sink, ImportAddress, new Dictionary<string, string> { ["user"] = "ws-peeters", ["password"] = "bocount-secret-1", ["companyNumber"] = "BE0123.456.749", ["baseUrl"] = "https://firm.bocount.example/" });

    [Fact]
    public async Task A_purchase_invoice_arrives_in_the_bocount_import_mailbox_as_one_mail_with_its_ubl_attached()
    {
        var document = new TestDocument("BC-2026-0108.xml", TestDeliveries.Ubl("BC-2026-0108"), DocumentKind.PurchaseInvoice, number: "BC-2026-0108");
        var deliveryId = VendorChannels.NewDeliveryId();

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, Settings(), BoCountConnector.Key, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(ImportAddress, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Bakkerij Peeters BV – Purchase invoice BC-2026-0108", message.Subject);
        var attachment = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("BC-2026-0108.xml", attachment.FileName);
        using var bytes = new MemoryStream();
        await attachment.Content!.DecodeToAsync(bytes);
        Assert.Equal(document.Content, bytes.ToArray());
        Assert.DoesNotContain(VendorSecret, message.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sales_invoice_goes_to_the_same_import_mailbox_under_its_own_subject()
    {
        var document = new TestDocument("V-BC-2026-0108.xml", TestDeliveries.Ubl("V-BC-2026-0108"), DocumentKind.SalesInvoice, number: "V-BC-2026-0108");
        var deliveryId = VendorChannels.NewDeliveryId();

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, Settings(), BoCountConnector.Key, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(ImportAddress, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Bakkerij Peeters BV – Sales invoice V-BC-2026-0108", message.Subject);
    }
}
