using System.Diagnostics;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Connectors.Tests.Support;

namespace Koppel.Server.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<ChannelServersFixture>
{
    public const string Name = "End to end";
}

/// <summary>The real sshd and SMTP server of scripts/services, with the credentials their scripts generated.</summary>
public sealed class ChannelServersFixture : IAsyncLifetime
{
    public int SftpPort { get; } = TestServices.PortFromEnv("KOPPEL_TEST_SFTP_PORT", 2222);

    public int SmtpPort { get; } = TestServices.PortFromEnv("KOPPEL_TEST_SMTP_PORT", 2525);

    public string SftpUser => "koppelsftp";

    public string SftpPassword { get; private set; } = "";

    public string SmtpUser { get; private set; } = "";

    public string SmtpPassword { get; private set; } = "";

    public string SftpHome => Path.Combine(TestServices.StateDir, "sshd", "home", SftpUser);

    public string MailDrop => Path.Combine(TestServices.StateDir, "smtp", "drop");

    public async Task InitializeAsync()
    {
        if (!await TestServices.IsListeningAsync(SftpPort))
        {
            await TestServices.RunScriptAsync("sshd.sh", "start");
        }

        if (!await TestServices.IsListeningAsync(SmtpPort))
        {
            await TestServices.RunScriptAsync("smtp.sh", "start");
        }

        SftpPassword = Environment.GetEnvironmentVariable("KOPPEL_TEST_SFTP_PASSWORD") ?? TestServices.ReadStateFile("sshd", "password");
        var smtp = File.ReadAllLines(Path.Combine(TestServices.StateDir, "smtp", "credentials"));
        SmtpUser = Environment.GetEnvironmentVariable("KOPPEL_TEST_SMTP_USER") ?? smtp[0].Trim();
        SmtpPassword = Environment.GetEnvironmentVariable("KOPPEL_TEST_SMTP_PASSWORD") ?? smtp[1].Trim();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>An upload folder of its own for one test, owned by the SFTP user as an import folder would be.</summary>
    public async Task<(string RemotePath, string LocalPath)> CreateUploadFolderAsync(string name)
    {
        var local = Path.Combine(SftpHome, "Invoice_import", name);
        Directory.CreateDirectory(local);
        using var chown = Process.Start("chown", [$"{SftpUser}:", local])!;
        await chown.WaitForExitAsync();
        return ($"Invoice_import/{name}/", local);
    }
}
