using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Tests.Support;

/// <summary>
/// Settings of a vendor without a public API (PingWin, BoCount, Count-e, Wings Online) whose dossier hands documents
/// over through the suite's real SMTP sink or sshd: the vendor's own fields (secrets among them) plus the channel.
/// </summary>
public static class VendorChannels
{
    private static readonly HashSet<string> VendorSecrets = ["apiKey", "password"];

    public static ConnectorSettings ByEmail(SmtpSink sink, string importAddress, IReadOnlyDictionary<string, string> vendor)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var options = new Dictionary<string, string> { ["channel"] = "email", ["email.address"] = importAddress };
        foreach (var (key, value) in sink.Options())
        {
            options["email." + key] = value;
        }

        return With(vendor, options, new Dictionary<string, string> { ["email.password"] = sink.Password });
    }

    /// <param name="password">The SFTP password to use instead of the server's (to see a wrong one refused).</param>
    public static ConnectorSettings BySftp(SftpServer server, string? password, IReadOnlyDictionary<string, string> vendor)
    {
        ArgumentNullException.ThrowIfNull(server);
        var options = new Dictionary<string, string> { ["channel"] = "sftp", ["sftp.hostKeySha256"] = server.HostKeySha256 };
        foreach (var (key, value) in server.Options())
        {
            options["sftp." + key] = value;
        }

        return With(vendor, options, new Dictionary<string, string> { ["sftp.password"] = password ?? server.Password });
    }

    public static string NewDeliveryId() => "d" + Guid.NewGuid().ToString("N");

    private static ConnectorSettings With(IReadOnlyDictionary<string, string> vendor, Dictionary<string, string> options, Dictionary<string, string> secrets)
    {
        foreach (var (key, value) in vendor)
        {
            (VendorSecrets.Contains(key) ? secrets : options)[key] = value;
        }

        return new ConnectorSettings(options, secrets) { DocumentKinds = [DocumentKind.SalesInvoice, DocumentKind.PurchaseInvoice] };
    }
}
