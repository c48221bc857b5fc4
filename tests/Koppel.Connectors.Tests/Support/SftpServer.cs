using Renci.SshNet;

namespace Koppel.Connectors.Tests.Support;

/// <summary>The OpenSSH server from scripts/services/sshd.sh, shared by the SFTP tests.</summary>
public sealed class SftpServer : IAsyncLifetime
{
    public const string UserName = "koppelsftp";
    public const string UploadFolder = "Invoice_import";

    public int Port { get; } = TestServices.PortFromEnv("KOPPEL_TEST_SFTP_PORT", 2222);

    public string Password { get; private set; } = string.Empty;

    public string HostKeySha256 { get; private set; } = string.Empty;

    public string ClientPrivateKey { get; private set; } = string.Empty;

    /// <summary>The upload folder as seen on this machine's file system.</summary>
    public static string UploadFolderOnDisk => Path.Combine(TestServices.StateDir, "sshd", "home", UserName, UploadFolder);

    public async Task InitializeAsync()
    {
        if (!await TestServices.IsListeningAsync(Port))
        {
            await TestServices.RunScriptAsync("sshd.sh", "start");
        }

        Password = Environment.GetEnvironmentVariable("KOPPEL_TEST_SFTP_PASSWORD") is { Length: > 0 } fromEnv
            ? fromEnv
            : TestServices.ReadStateFile("sshd", "password");
        HostKeySha256 = TestServices.ReadStateFile("sshd", "host_fingerprint_sha256");
        ClientPrivateKey = TestServices.ReadStateFile("sshd", "client_ed25519") + "\n";
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>SIGKILLs the server with its sessions, then starts it again, as after a power cut.</summary>
    public static Task CrashAsync() => TestServices.RunScriptAsync("sshd.sh", "crash");

    public static Task StartAsync() => TestServices.RunScriptAsync("sshd.sh", "start");

    public Dictionary<string, string> Options(string? uploadPath = null)
    {
        var options = new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1",
            ["port"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["username"] = UserName,
        };
        if (uploadPath is not null)
        {
            options["uploadPath"] = uploadPath;
        }

        return options;
    }

    /// <summary>A direct client, as the receiving side, to arrange and inspect the server's files.</summary>
    public SftpClient Connect()
    {
        var client = new SftpClient("127.0.0.1", Port, UserName, Password);
        client.Connect();
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class SftpServerCollection : ICollectionFixture<SftpServer>
{
    public const string Name = "SFTP server";
}
