using Koppel.Connectors.Email;
using Koppel.Connectors.Lyanthe;
using Koppel.Connectors.Octopus;
using Koppel.Connectors.Tests.Support;
using Koppel.Connectors.Yuki;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Tests.Lyanthe;

/// <summary>The mailroom presets of the e-mail connector: Lyanthe's routing, and what every preset refuses on save.</summary>
public sealed class MailroomPresetTests
{
    private const string Mailroom = "0123456749-99@mailroom.lyanthe.example";

    private static Dictionary<string, string> Smtp() => new()
    {
        ["smtpHost"] = "smtp.example.be",
        ["from"] = "Koppel <koppel@example.be>",
    };

    private static ConnectorSettings Lyanthe(string routing, IReadOnlyCollection<DocumentKind>? kinds = null, string mailbox = Mailroom, params (string Kind, string Route)[] routes)
    {
        var options = Smtp();
        options["mailbox"] = mailbox;
        options["routing"] = routing;
        foreach (var (kind, route) in routes)
        {
            options["route." + kind] = route;
        }

        return new ConnectorSettings(options, new Dictionary<string, string>()) { DocumentKinds = kinds ?? [] };
    }

    private static async Task<(string[] To, int Bcc, string Subject, string[] Files)> MessageFor(ConnectorSettings lyanthe, TestDocument document)
    {
        var email = EmailSettings.From(LyantheEmailConnector.ToEmailSettings(lyanthe));
        var context = TestDeliveries.Context(document, lyanthe, LyantheEmailConnector.ProviderKey);
        await using var outgoing = await EmailMessageBuilder.BuildAsync(context, email, email.Mailboxes[document.Record.Kind], CancellationToken.None);
        var message = outgoing.Message;
        return ([.. message.To.Mailboxes.Select(m => m.Address)], message.Bcc.Count, message.Subject ?? string.Empty, [.. message.Attachments.Select(a => a.ContentDisposition?.FileName ?? string.Empty)]);
    }

    [Fact]
    public async Task Suffix_routing_mails_each_kind_to_the_mailroom_address_with_its_letters()
    {
        var settings = Lyanthe("suffix", routes: [("PurchaseInvoice", "A"), ("SalesInvoice", "V")]);
        var purchase = new TestDocument("inv.xml", TestDeliveries.Ubl("P-1"), DocumentKind.PurchaseInvoice).WithAttachment("P-1.pdf", "application/pdf", "%PDF"u8.ToArray());

        var message = await MessageFor(settings, purchase);

        Assert.Equal(["0123456749-99A@mailroom.lyanthe.example"], message.To);
        Assert.Equal(0, message.Bcc);
        Assert.Equal(["inv.xml"], message.Files);
    }

    [Fact]
    public async Task Subject_routing_puts_the_kinds_keyword_in_front_of_the_subject_and_keeps_the_one_address()
    {
        var settings = Lyanthe("subject", routes: [("PurchaseInvoice", "AANKOOP"), ("BankStatement", "BANK")]);

        var message = await MessageFor(settings, new TestDocument("inv.xml", TestDeliveries.Ubl("P-2"), DocumentKind.PurchaseInvoice));

        Assert.Equal([Mailroom], message.To);
        Assert.StartsWith("AANKOOP ", message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void A_kind_the_connection_takes_without_a_route_is_named_on_save()
    {
        var connector = new LyantheEmailConnector(TestNetwork.LoopbackAllowed);

        var e = Assert.Throws<ConnectorConfigurationException>(() => connector.ValidateSettings(
            Lyanthe("subject", [DocumentKind.PurchaseInvoice, DocumentKind.SalesInvoice], routes: [("PurchaseInvoice", "AANKOOP")])));

        Assert.Contains("'route.SalesInvoice'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("mailbox.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_mailroom_address_not_of_lyanthes_form_or_a_bad_suffix_is_refused_on_save()
    {
        var connector = new LyantheEmailConnector(TestNetwork.LoopbackAllowed);

        var address = Assert.Throws<ConnectorConfigurationException>(() => connector.ValidateSettings(Lyanthe("subject", mailbox: "boekhouding@lyanthe.example", routes: [("PurchaseInvoice", "A")])));
        var suffix = Assert.Throws<ConnectorConfigurationException>(() => connector.ValidateSettings(Lyanthe("suffix", routes: [("PurchaseInvoice", "A-B@")])));

        Assert.Contains("'mailbox'", address.Message, StringComparison.Ordinal);
        Assert.Contains("'route.PurchaseInvoice'", suffix.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exact_online_postbox_typed_as_a_mailbox_is_refused_with_the_reason_in_every_e_mail_preset()
    {
        var guard = TestNetwork.LoopbackAllowed;
        var email = Smtp();
        email["mailbox.PurchaseInvoice"] = "100200@exactonline.be";
        var yuki = Smtp();
        yuki["purchaseAddress"] = "4711@mailbox.exactonline.nl";
        var octopus = Smtp();
        octopus["mailbox"] = "100200@exactonline.be";

        var errors = new[]
        {
            Assert.Throws<ConnectorConfigurationException>(() => new EmailConnector(guard).ValidateSettings(TestDeliveries.Settings(email))),
            Assert.Throws<ConnectorConfigurationException>(() => new YukiEmailConnector(guard).ValidateSettings(TestDeliveries.Settings(yuki))),
            Assert.Throws<ConnectorConfigurationException>(() => new OctopusEmailConnector(guard).ValidateSettings(TestDeliveries.Settings(octopus))),
        };

        Assert.All(errors, e => Assert.Contains("Exact Online digital postbox", e.Message, StringComparison.Ordinal));
        Assert.Contains("'purchaseAddress'", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yuki_without_api_key_names_the_missing_address_of_each_kind_the_connection_takes()
    {
        var options = Smtp();
        options["purchaseAddress"] = "aankoop.bakkerij@yuki.example";

        var e = Assert.Throws<ConnectorConfigurationException>(() => new YukiEmailConnector(TestNetwork.LoopbackAllowed).ValidateSettings(
            new ConnectorSettings(options, new Dictionary<string, string>()) { DocumentKinds = [DocumentKind.PurchaseInvoice, DocumentKind.BankStatement] }));

        Assert.Contains("'codaAddress'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("purchaseAddress", e.Message, StringComparison.Ordinal);
    }
}
