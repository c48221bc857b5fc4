using Koppel.Connectors.BoCount;
using Koppel.Connectors.Common;
using Koppel.Connectors.CountE;
using Koppel.Connectors.PingWin;
using Koppel.Connectors.Tests.Support;
using Koppel.Connectors.WingsOnline;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Tests.PendingApi;

/// <summary>PingWin, BoCount, Count-e and Wings Online: the vendors' own fields, checked, and delivery through e-mail or SFTP.</summary>
public sealed class PendingApiConnectorTests
{
    private static readonly NetworkGuard Guard = TestNetwork.LoopbackAllowed;

    private static IConnector Connector(string provider) => provider switch
    {
        PingWinConnector.Key => new PingWinConnector(Guard),
        BoCountConnector.Key => new BoCountConnector(Guard),
        CountEConnector.Key => new CountEConnector(Guard),
        WingsOnlineConnector.Key => new WingsOnlineConnector(Guard),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static TheoryData<string, string[], string[]> VendorForms => new()
    {
        { PingWinConnector.Key, ["apiKey", "clid", "fileId"], ["apiKey"] },
        { BoCountConnector.Key, ["user", "password", "companyNumber", "baseUrl"], ["password"] },
        { CountEConnector.Key, ["user", "password", "apiUrl", "database", "customerNumber"], ["password"] },
        { WingsOnlineConnector.Key, ["user", "password", "internalNumber", "salesJournal", "purchaseJournal"], ["password"] },
    };

    /// <summary>A valid e-mail channel to a closed port on this machine: the SMTP part is fine, the server is not there.</summary>
    private static Dictionary<string, string> EmailChannel() => new()
    {
        ["channel"] = "email",
        ["email.address"] = "import.0123456749@package.example",
        ["email.smtpHost"] = "127.0.0.1",
        ["email.smtpPort"] = TestServices.FreeClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["email.security"] = "none",
        ["email.from"] = "Koppel <koppel@example.be>",
    };

    private static ConnectorSettings With(Dictionary<string, string> vendor, Dictionary<string, string>? channel = null, params DocumentKind[] kinds)
    {
        var options = channel ?? EmailChannel();
        var secrets = new Dictionary<string, string>();
        foreach (var (key, value) in vendor)
        {
            (key is "password" or "apiKey" ? secrets : options)[key] = value;
        }

        return new ConnectorSettings(options, secrets) { DocumentKinds = kinds };
    }

    private static Dictionary<string, string> ValidBoCount() => new()
    {
        ["user"] = "ws-peeters",
        ["password"] = "bocount-secret-1",
        ["companyNumber"] = "BE0123.456.749",
        ["baseUrl"] = "https://firm.bocount.invalid/",
    };

    [Theory]
    [MemberData(nameof(VendorForms))]
    public void The_form_takes_exactly_the_vendors_fields_then_the_channel_and_says_the_api_is_pending(string provider, string[] fields, string[] secrets)
    {
        var descriptor = Connector(provider).Descriptor;
        var vendor = descriptor.Settings.TakeWhile(f => f.Name != PendingApiConnector.ChannelKey).ToList();

        Assert.Equal(fields, vendor.Select(f => f.Name));
        Assert.All(vendor, f => Assert.True(f.Required));
        Assert.Equal(secrets, vendor.Where(f => f.Secret).Select(f => f.Name));
        Assert.All(descriptor.Settings.Skip(vendor.Count), f => Assert.True(f.Name == "channel" || f.Name.StartsWith("email.", StringComparison.Ordinal) || f.Name.StartsWith("sftp.", StringComparison.Ordinal), f.Name));
        Assert.Contains("pending the vendor's specification", descriptor.Notes, StringComparison.Ordinal);
        Assert.Equal([DocumentKind.SalesInvoice, DocumentKind.PurchaseInvoice], descriptor.Delivers.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(VendorForms))]
    public void An_empty_form_names_every_missing_vendor_field_and_the_channel(string provider, string[] fields, string[] secrets)
    {
        _ = secrets;
        var e = Assert.Throws<ConnectorConfigurationException>(() => Connector(provider).ValidateSettings(new ConnectorSettings(new Dictionary<string, string>(), new Dictionary<string, string>())));

        Assert.All(fields, f => Assert.Contains($"'{f}'", e.Message, StringComparison.Ordinal));
        Assert.Contains("'channel'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_wings_user_that_does_not_start_with_wings8_is_refused_on_save()
    {
        var settings = With(new() { ["user"] = "peeters", ["password"] = "p", ["internalNumber"] = "42", ["salesJournal"] = "VF", ["purchaseJournal"] = "AF" });

        var e = Assert.Throws<ConnectorConfigurationException>(() => Connector(WingsOnlineConnector.Key).ValidateSettings(settings));

        Assert.Contains("'user' must start with Wings8", e.Message, StringComparison.Ordinal);
        Connector(WingsOnlineConnector.Key).ValidateSettings(With(new() { ["user"] = "Wings8peeters", ["password"] = "p", ["internalNumber"] = "42", ["salesJournal"] = "VF", ["purchaseJournal"] = "AF" }));
    }

    [Fact]
    public void A_bocount_company_number_failing_mod_97_is_named_on_save()
    {
        var vendor = ValidBoCount();
        vendor["companyNumber"] = "BE0123.456.700";

        var e = Assert.Throws<ConnectorConfigurationException>(() => Connector(BoCountConnector.Key).ValidateSettings(With(vendor)));

        Assert.Contains("'companyNumber'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://firm.bocount.example/")]
    [InlineData("https://127.0.0.2/")]
    [InlineData("https://169.254.169.254/latest/")]
    [InlineData("https://[::1]/")]
    [InlineData("not a url")]
    public void A_firm_url_that_is_not_https_or_leads_inside_is_refused_on_save(string url)
    {
        var vendor = ValidBoCount();
        vendor["baseUrl"] = url;
        var guardForUsers = NetworkGuard.PublicOnly;

        var e = Assert.Throws<ConnectorConfigurationException>(() => new BoCountConnector(guardForUsers).ValidateSettings(With(vendor)));

        Assert.Contains("'baseUrl'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_count_e_api_url_goes_through_the_network_guard_at_the_connection_test()
    {
        var vendor = new Dictionary<string, string> { ["user"] = "u", ["password"] = "p", ["apiUrl"] = "https://instance.count-e.invalid/api", ["database"] = "peeters", ["customerNumber"] = "1042" };

        var result = await new CountEConnector(NetworkGuard.PublicOnly).TestConnectionAsync(With(vendor), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("instance.count-e.invalid", result.Message, StringComparison.Ordinal);
        Assert.Contains("does not resolve", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_channel_settings_are_checked_with_their_own_names()
    {
        var channel = EmailChannel();
        channel.Remove("email.smtpHost");
        channel.Remove("email.address");

        var e = Assert.Throws<ConnectorConfigurationException>(() => Connector(BoCountConnector.Key).ValidateSettings(With(ValidBoCount(), channel, DocumentKind.PurchaseInvoice)));

        Assert.Contains("'email.smtpHost'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'email.address'", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'smtpHost'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_test_tries_the_channel_and_says_the_direct_api_is_pending()
    {
        var result = await Connector(PingWinConnector.Key).TestConnectionAsync(With(new() { ["apiKey"] = "pw-key-123", ["clid"] = "C42", ["fileId"] = "F7" }), CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("could not open a session with 127.0.0.1", result.Message, StringComparison.Ordinal);
        Assert.Contains("pending the vendor's specification", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-key-123", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invoice_goes_through_the_channel_and_a_bank_statement_is_refused()
    {
        var settings = With(new() { ["apiKey"] = "pw-key-123", ["clid"] = "C42", ["fileId"] = "F7" });
        var invoice = new TestDocument("inv.xml", TestDeliveries.Ubl("P-9"), DocumentKind.PurchaseInvoice);
        var coda = new TestDocument("x.cod", "0000"u8.ToArray(), DocumentKind.BankStatement, Koppel.Formats.Sniffing.DocumentFormat.Coda);

        var sent = await Connector(PingWinConnector.Key).DeliverAsync(TestDeliveries.Context(invoice, settings, PingWinConnector.Key), CancellationToken.None);
        var refused = await Connector(PingWinConnector.Key).DeliverAsync(TestDeliveries.Context(coda, settings, PingWinConnector.Key), CancellationToken.None);

        // The SMTP server of the e-mail channel is down: the e-mail connector's transient answer comes through.
        Assert.Equal(DeliveryResultKind.Transient, sent.Kind);
        Assert.Equal(DeliveryResultKind.Permanent, refused.Kind);
    }
}
