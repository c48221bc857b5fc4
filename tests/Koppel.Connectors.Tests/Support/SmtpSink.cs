using MimeKit;

namespace Koppel.Connectors.Tests.Support;

/// <summary>The SMTP sink from scripts/services/smtp.sh, shared by the e-mail tests; every accepted message is an .eml file.</summary>
public sealed class SmtpSink : IAsyncLifetime
{
    public int Port { get; } = TestServices.PortFromEnv("KOPPEL_TEST_SMTP_PORT", 2525);

    public string User { get; private set; } = string.Empty;

    public string Password { get; private set; } = string.Empty;

    public static string DropFolder => Path.Combine(TestServices.StateDir, "smtp", "drop");

    public async Task InitializeAsync()
    {
        if (!await TestServices.IsListeningAsync(Port))
        {
            await TestServices.RunScriptAsync("smtp.sh", "start");
        }

        var stored = File.Exists(Path.Combine(TestServices.StateDir, "smtp", "credentials"))
            ? TestServices.ReadStateFile("smtp", "credentials").Split('\n')
            : ["", ""];
        RemoveOldMessages();
        User = Environment.GetEnvironmentVariable("KOPPEL_TEST_SMTP_USER") is { Length: > 0 } user ? user : stored[0];
        Password = Environment.GetEnvironmentVariable("KOPPEL_TEST_SMTP_PASSWORD") is { Length: > 0 } password ? password : stored[1];
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Keeps the drop folder small across runs; recent files may belong to a run in progress.</summary>
    private static void RemoveOldMessages()
    {
        if (!Directory.Exists(DropFolder))
        {
            return;
        }

        foreach (var file in new DirectoryInfo(DropFolder).EnumerateFiles("*.eml").Where(f => f.LastWriteTimeUtc < DateTime.UtcNow.AddHours(-1)))
        {
            file.Delete();
        }
    }

    public Dictionary<string, string> Options() => new()
    {
        ["smtpHost"] = "127.0.0.1",
        ["smtpPort"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["security"] = "none",
        ["username"] = User,
        ["from"] = "Koppel <koppel@example.be>",
    };

    /// <summary>All messages in the drop folder with this Message-ID (without angle brackets), oldest first.</summary>
    public static async Task<List<MimeMessage>> MessagesWithIdAsync(string messageId)
    {
        var found = new List<MimeMessage>();
        foreach (var file in Directory.GetFiles(DropFolder, "*.eml").Order(StringComparer.Ordinal))
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.MessageId == messageId)
            {
                found.Add(message);
            }
            else
            {
                message.Dispose();
            }
        }

        return found;
    }
}

[CollectionDefinition(Name)]
public sealed class SmtpSinkCollection : ICollectionFixture<SmtpSink>
{
    public const string Name = "SMTP sink";
}
