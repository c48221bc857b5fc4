using Koppel.Connectors.Common;
using Koppel.Connectors.Email;
using Koppel.Connectors.Sftp;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Tests;

/// <summary>No secret value may show up in a result, a test message, an exception message or a ToString.</summary>
public sealed class SecretsStayHiddenTests
{
    private const string Password = "Hunter2-Secret-Value-9731";
    private const string Passphrase = "Passphrase-Secret-Value-5521";

    private static ConnectorSettings SftpSettingsFor(int port) => TestDeliveries.Settings(
        new Dictionary<string, string> { ["host"] = "127.0.0.1", ["port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["username"] = "someone" },
        new Dictionary<string, string> { ["password"] = Password, ["privateKeyPassphrase"] = Passphrase });

    private static ConnectorSettings EmailSettingsFor(int port) => TestDeliveries.Settings(
        new Dictionary<string, string>
        {
            ["smtpHost"] = "127.0.0.1",
            ["smtpPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["security"] = "none",
            ["username"] = "someone",
            ["from"] = "koppel@example.be",
            ["mailbox.PurchaseInvoice"] = "in@example.be",
        },
        new Dictionary<string, string> { ["password"] = Password });

    [Fact]
    public void Settings_ToString_shows_no_secret_value()
    {
        var raw = EmailSettingsFor(25);

        Assert.DoesNotContain(Password, raw.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, SftpSettings.From(SftpSettingsFor(22)).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Passphrase, SftpSettings.From(SftpSettingsFor(22)).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, EmailSettings.From(raw).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_errors_name_the_setting_not_its_value()
    {
        var sftp = TestDeliveries.Settings(
            new Dictionary<string, string> { ["port"] = "not-a-port" },
            new Dictionary<string, string> { ["password"] = Password, ["privateKey"] = Password });
        var email = TestDeliveries.Settings(
            new Dictionary<string, string> { ["security"] = "none", ["smtpHost"] = "smtp.example.be" },
            new Dictionary<string, string> { ["password"] = Password });

        var sftpError = Assert.Throws<ConnectorConfigurationException>(() => SftpSettings.From(sftp));
        var emailError = Assert.Throws<ConnectorConfigurationException>(() => EmailSettings.From(email));

        Assert.DoesNotContain(Password, sftpError.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, emailError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_private_key_is_reported_without_quoting_it()
    {
        var settings = TestDeliveries.Settings(
            new Dictionary<string, string> { ["host"] = "127.0.0.1", ["port"] = "22", ["username"] = "someone" },
            new Dictionary<string, string> { ["privateKey"] = $"-----BEGIN OPENSSH PRIVATE KEY-----\n{Password}\n-----END OPENSSH PRIVATE KEY-----\n" });

        var test = await new SftpConnector(TestNetwork.LoopbackAllowed).TestConnectionAsync(settings, CancellationToken.None);

        Assert.False(test.Success);
        Assert.Contains("'privateKey' could not be read", test.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failed_deliveries_and_tests_show_no_secret_value()
    {
        var closedPort = TestServices.FreeClosedPort();
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));
        var sftp = new SftpConnector(TestNetwork.LoopbackAllowed);
        var email = new EmailConnector(TestNetwork.LoopbackAllowed);

        var texts = new List<string?>
        {
            (await sftp.DeliverAsync(TestDeliveries.Context(document, SftpSettingsFor(closedPort), SftpConnector.ProviderKey), CancellationToken.None)).Reason,
            (await email.DeliverAsync(TestDeliveries.Context(document, EmailSettingsFor(closedPort), EmailConnector.ProviderKey), CancellationToken.None)).Reason,
            (await sftp.TestConnectionAsync(SftpSettingsFor(closedPort), CancellationToken.None)).Message,
            (await email.TestConnectionAsync(EmailSettingsFor(closedPort), CancellationToken.None)).Message,
        };

        Assert.All(texts, text =>
        {
            Assert.False(string.IsNullOrEmpty(text));
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Passphrase, text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_redactor_masks_secrets_a_server_might_echo()
    {
        var redactor = new SecretRedactor("abc", "abcdef", null, string.Empty);

        Assert.Equal("server said: *** and ***", redactor.Redact("server said: abcdef and abc"));
    }
}
