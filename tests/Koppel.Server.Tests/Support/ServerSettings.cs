using System.Security.Cryptography;
using System.Text;
using Koppel.Azure.Tests.Infrastructure;

namespace Koppel.Server.Tests.Support;

/// <summary>
/// The configuration of one isolated Koppel server under test: its own storage name prefix, key ring,
/// API keys, and fast timings so retries and crash recovery happen within seconds.
/// </summary>
public sealed class ServerSettings
{
    public ServerSettings(string storageConnectionString, string workDirectory)
    {
        Prefix = "s" + Guid.NewGuid().ToString("N")[..10];
        WorkDirectory = workDirectory;
        Directory.CreateDirectory(workDirectory);
        var (certificate, key) = KeyRingCertificate.CreateIn(Path.Combine(workDirectory, "key-ring-certificate"));
        Values = new Dictionary<string, string?>
        {
            ["Koppel:Azure:KeyRingCertificatePath"] = certificate,
            ["Koppel:Azure:KeyRingCertificateKeyPath"] = key,
            ["Koppel:Azure:StorageConnectionString"] = storageConnectionString,
            ["Koppel:Azure:NamePrefix"] = Prefix,
            ["Koppel:Azure:KeyRingDirectory"] = Path.Combine(workDirectory, "keys"),

            // The test's own folders, SFTP and SMTP servers are on this machine; an operator allows them like this.
            ["Koppel:Connectors:LocalFolder:AllowedRoots:0"] = workDirectory,
            ["Koppel:Network:AllowedNetworks:0"] = "127.0.0.0/8",
            ["Koppel:Network:UniformFailureDuration"] = "00:00:00.300",
            ["Koppel:Server:InboxPollInterval"] = "00:00:00.500",
            ["Koppel:Server:QueuePollInterval"] = "00:00:00.200",
            ["Koppel:Server:DropFolderSettleTime"] = "00:00:01",
            ["Koppel:Server:QueueVisibilityTimeout"] = "00:00:05",
            ["Koppel:Server:DeliveryConcurrency"] = "4",
            ["Koppel:Server:SweepSchedule"] = "*/5 * * * * *",
            ["Koppel:Delivery:ClaimDuration"] = "00:00:05",
            ["Koppel:Delivery:StaleAfter"] = "00:00:05",
            ["Koppel:Delivery:FirstRetryDelay"] = "00:00:01",
            ["Koppel:Delivery:MaxRetryDelay"] = "00:00:05",
            ["Koppel:Delivery:MaxAttempts"] = "4",
            ["Koppel:Api:Keys:0:Name"] = "integration-team",
            ["Koppel:Api:Keys:0:Sha256"] = Hash(AdminKey),
            ["Koppel:Api:Keys:0:Dossiers:0"] = "*",
            ["Koppel:Api:Keys:1:Name"] = "firm-b",
            ["Koppel:Api:Keys:1:Sha256"] = Hash(OtherFirmKey),
            ["Koppel:Api:Keys:1:Dossiers:0"] = "0876543270",
            ["Logging:LogLevel:Default"] = "Information",
        };
    }

    public string Prefix { get; }

    public string WorkDirectory { get; }

    public string AdminKey { get; } = "adm-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string OtherFirmKey { get; } = "firm-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public Dictionary<string, string?> Values { get; }

    /// <summary>The same settings as environment variables, for a server started as its own process.</summary>
    public IEnumerable<KeyValuePair<string, string>> AsEnvironment() =>
        Values.Where(v => v.Value is not null).Select(v => new KeyValuePair<string, string>(v.Key.Replace(":", "__", StringComparison.Ordinal), v.Value!));

    private static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
