using Koppel.Connectors.Email;
using Koppel.Connectors.Tests.Support;
using Koppel.Connectors.Yuki;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Tests.Yuki;

public sealed class YukiEmailConnectorTests
{
    private static ConnectorSettings YukiMailSettings(params (string Name, string Value)[] extra)
    {
        var options = new Dictionary<string, string>
        {
            ["smtpHost"] = "smtp.example.be",
            ["username"] = "koppel",
            ["from"] = "Koppel <facturen@example.be>",
            ["purchaseAddress"] = "aankoop.bakkerij@yuki.example",
            ["salesAddress"] = "verkoop.bakkerij@yuki.example",
            ["codaAddress"] = "bank.bakkerij@yuki.example",
            ["otherDocumentsAddress"] = "divers.bakkerij@yuki.example",
        };
        foreach (var (name, value) in extra)
        {
            options[name] = value;
        }

        return TestDeliveries.Settings(options, new Dictionary<string, string> { ["password"] = "smtp-secret" });
    }

    [Fact]
    public void Each_kind_goes_to_the_Yuki_address_of_its_kind_and_expense_claims_to_other_documents_by_default()
    {
        var email = EmailSettings.From(YukiEmailConnector.ToEmailSettings(YukiMailSettings()));

        Assert.Equal("aankoop.bakkerij@yuki.example", email.Mailboxes[DocumentKind.PurchaseInvoice].ToString());
        Assert.Equal("verkoop.bakkerij@yuki.example", email.Mailboxes[DocumentKind.SalesInvoice].ToString());
        Assert.Equal("bank.bakkerij@yuki.example", email.Mailboxes[DocumentKind.BankStatement].ToString());
        Assert.Equal("divers.bakkerij@yuki.example", email.Mailboxes[DocumentKind.ExpenseClaim].ToString());
        Assert.Equal("facturen@example.be", email.Sender.Address);
        Assert.All(email.Attachments.Values, choice => Assert.Equal(AttachmentChoice.Original, choice));
        Assert.Equal("koppel", email.Username);
        Assert.Equal("smtp-secret", email.Password);
    }

    [Fact]
    public void Problems_are_told_with_the_Yuki_setting_names_the_user_sees()
    {
        var settings = YukiMailSettings(("purchaseAddress", "not an address"));

        var error = Assert.Throws<ConnectorConfigurationException>(() => EmailSettings.From(YukiEmailConnector.ToEmailSettings(settings)));

        Assert.Contains("'purchaseAddress'", YukiEmailConnector.InYukiTerms(error.Message), StringComparison.Ordinal);
    }

    [Fact]
    public void The_catalogue_offers_Yuki_by_e_mail_as_a_hand_over_with_only_the_SMTP_password_secret()
    {
        var descriptor = new YukiEmailConnector(TestNetwork.LoopbackAllowed).Descriptor;

        Assert.Equal("yuki-email", descriptor.Provider);
        Assert.All(descriptor.Delivers.Values, mode => Assert.Equal(DeliveryMode.HandOver, mode));
        Assert.Equal(["password"], descriptor.Settings.Where(s => s.Secret).Select(s => s.Name));
        Assert.Contains(descriptor.Settings, s => s.Name == "codaAddress");
        Assert.DoesNotContain(descriptor.Settings, s => s.Name.StartsWith("mailbox.", StringComparison.Ordinal));
    }
}

[Collection(SmtpSinkCollection.Name)]
public sealed class YukiEmailDeliveryTests(SmtpSink smtp)
{
    [Fact]
    public async Task A_purchase_invoice_is_mailed_to_Yukis_purchase_address_with_the_UBL_attached()
    {
        var options = smtp.Options();
        options.Remove("from");
        options["from"] = "Koppel <koppel@example.be>";
        options["purchaseAddress"] = "aankoop.bakkerij@yuki.example";
        var settings = TestDeliveries.Settings(options, new Dictionary<string, string> { ["password"] = smtp.Password });
        var invoice = new TestDocument("inv-yuki-mail.xml", TestDeliveries.Ubl("YUKI-MAIL-" + Guid.NewGuid().ToString("N")));
        var context = TestDeliveries.Context(invoice, settings, "yuki-email");

        var result = await new YukiEmailConnector(TestNetwork.LoopbackAllowed).DeliverAsync(context, default);

        Assert.True(result.Kind == DeliveryResultKind.Delivered, result.Reason);
        var messages = await SmtpSink.MessagesWithIdAsync(result.Reference!.Trim('<', '>'));
        var message = Assert.Single(messages);
        Assert.Equal("aankoop.bakkerij@yuki.example", message.To.Mailboxes.Single().Address);
        Assert.Contains(message.Attachments, a => a.ContentDisposition?.FileName == "inv-yuki-mail.xml");
    }
}
