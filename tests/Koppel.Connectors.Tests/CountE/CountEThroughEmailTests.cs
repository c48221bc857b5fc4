using Koppel.Connectors.CountE;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using MimeKit;

namespace Koppel.Connectors.Tests.CountE;

/// <summary>Count-e has no public document API: its invoices go to the dossier's Count-e import mailbox, here the suite's real SMTP sink.</summary>
[Collection(SmtpSinkCollection.Name)]
public sealed class CountEThroughEmailTests(SmtpSink sink)
{
    private const string ImportAddress = "docs.1042@count-e.example";
    private const string VendorSecret = "counte-secret-9";
    private readonly CountEConnector _connector = new(TestNetwork.LoopbackAllowed);

    private ConnectorSettings Settings() => VendorChannels.ByEmail(sink, ImportAddress, new Dictionary<string, string> { ["user"] = "peeters", ["password"] = "counte-secret-9", ["apiUrl"] = "https://instance.count-e.example/api", ["database"] = "peeters", ["customerNumber"] = "1042" });

    [Fact]
    public async Task A_purchase_invoice_arrives_in_the_counte_import_mailbox_as_one_mail_with_its_ubl_attached()
    {
        var document = new TestDocument("CE-2026-0310.xml", TestDeliveries.Ubl("CE-2026-0310"), DocumentKind.PurchaseInvoice, number: "CE-2026-0310");
        var deliveryId = VendorChannels.NewDeliveryId();

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, Settings(), CountEConnector.Key, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(ImportAddress, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Bakkerij Peeters BV – Purchase invoice CE-2026-0310", message.Subject);
        var attachment = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("CE-2026-0310.xml", attachment.FileName);
        using var bytes = new MemoryStream();
        await attachment.Content!.DecodeToAsync(bytes);
        Assert.Equal(document.Content, bytes.ToArray());
        Assert.DoesNotContain(VendorSecret, message.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sales_invoice_goes_to_the_same_import_mailbox_under_its_own_subject()
    {
        var document = new TestDocument("V-CE-2026-0310.xml", TestDeliveries.Ubl("V-CE-2026-0310"), DocumentKind.SalesInvoice, number: "V-CE-2026-0310");
        var deliveryId = VendorChannels.NewDeliveryId();

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, Settings(), CountEConnector.Key, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var message = Assert.Single(await SmtpSink.MessagesWithIdAsync($"{deliveryId}@koppel.invalid"));
        Assert.Equal(ImportAddress, Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Bakkerij Peeters BV – Sales invoice V-CE-2026-0310", message.Subject);
    }
}
