using Koppel.Connectors.Octopus;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Tests.Octopus;

[Collection(SmtpSinkCollection.Name)]
public sealed class OctopusEmailConnectorTests
{
    private const string Mailbox = "4711.aankoop@mailbox.octopus.example";

    private readonly SmtpSink _sink;
    private readonly OctopusEmailConnector _connector = new(TestNetwork.LoopbackAllowed);

    public OctopusEmailConnectorTests(SmtpSink sink)
    {
        _sink = sink;
    }

    private ConnectorSettings Settings(string? mailbox = Mailbox)
    {
        var options = _sink.Options();
        if (mailbox is not null)
        {
            options[OctopusEmailConnector.MailboxKey] = mailbox;
        }

        return TestDeliveries.Settings(options, new Dictionary<string, string> { ["password"] = _sink.Password });
    }

    [Fact]
    public async Task An_invoice_is_mailed_to_the_dossiers_octopus_mailbox_with_the_original_file()
    {
        var document = new TestDocument("INV-2026-0042.xml", TestDeliveries.Ubl("INV-2026-0042"), DocumentKind.PurchaseInvoice);
        var context = TestDeliveries.Context(document, Settings(), OctopusEmailConnector.ProviderKey, "d" + Guid.NewGuid().ToString("N"));

        var result = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var messages = await SmtpSink.MessagesWithIdAsync($"{context.DeliveryId}@koppel.invalid");
        var message = Assert.Single(messages);
        Assert.Equal(Mailbox, Assert.Single(message.To.Mailboxes).Address);
        var attachment = Assert.Single(message.Attachments.OfType<MimeKit.MimePart>());
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        Assert.Equal(document.Content, content.ToArray());
    }

    [Fact]
    public async Task Without_the_mailbox_address_nothing_is_sent_and_the_user_is_told_to_set_it()
    {
        var test = await _connector.TestConnectionAsync(Settings(mailbox: null), CancellationToken.None);

        Assert.False(test.Success);
        Assert.Contains("Octopus mailbox", test.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_sink.Password, test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void It_takes_invoices_and_documents_but_not_bank_statements()
    {
        Assert.Equal(
            [DocumentKind.SalesInvoice, DocumentKind.PurchaseInvoice, DocumentKind.OtherDocument],
            _connector.Descriptor.Delivers.Keys.Order().ToList());
        Assert.Contains(_connector.Descriptor.Settings, f => f.Name == "password" && f.Secret);
    }
}
