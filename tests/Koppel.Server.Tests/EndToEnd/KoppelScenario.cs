using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Koppel.Server.Tests.Support;
using MimeKit;

namespace Koppel.Server.Tests.EndToEnd;

/// <summary>
/// One dossier on a server process, connected to its own SFTP folder and mailboxes; the steps a user takes.
/// </summary>
public sealed class KoppelScenario
{
    public const string Dossier = "0403170701";

    private readonly ChannelServersFixture _channels;

    public KoppelScenario(ServerSettings settings, ChannelServersFixture channels, string storageConnectionString)
    {
        Settings = settings;
        _channels = channels;
        Inbox = new BlobServiceClient(storageConnectionString).GetBlobContainerClient(settings.Prefix + "inbox");
        Mailbox = $"purchases-{settings.Prefix}@firm.example";
        StatementsMailbox = $"bank-{settings.Prefix}@firm.example";
    }

    public ServerSettings Settings { get; }

    public BlobContainerClient Inbox { get; }

    public string Mailbox { get; }

    public string StatementsMailbox { get; }

    public string SftpFolder { get; private set; } = "";

    public async Task ConnectAsync(HttpClient api, string sftpKinds = "SalesInvoice,PurchaseInvoice")
    {
        var (remote, local) = await _channels.CreateUploadFolderAsync(Settings.Prefix);
        SftpFolder = local;
        await Expect(await api.PostAsJsonAsync("/api/dossiers", new { name = "Demo Bakkerij BV", enterpriseNumber = Dossier }));
        await Expect(await api.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "sftp",
            displayName = "Accountant SFTP",
            documentKinds = sftpKinds.Split(','),
            options = new Dictionary<string, string> { ["host"] = "127.0.0.1", ["port"] = _channels.SftpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), ["username"] = _channels.SftpUser, ["uploadPath"] = remote },
            credentials = new Dictionary<string, string> { ["password"] = _channels.SftpPassword },
        }));
        await Expect(await api.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "email",
            displayName = "Scan mailbox",
            documentKinds = new[] { "PurchaseInvoice", "BankStatement" },
            options = new Dictionary<string, string>
            {
                ["smtpHost"] = "127.0.0.1",
                ["smtpPort"] = _channels.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["security"] = "none",
                ["username"] = _channels.SmtpUser,
                ["from"] = "Koppel <koppel@platform.example>",
                ["mailbox.PurchaseInvoice"] = Mailbox,
                ["attach.PurchaseInvoice"] = "original+pdf",
                ["mailbox.BankStatement"] = StatementsMailbox,
            },
            credentials = new Dictionary<string, string> { ["password"] = _channels.SmtpPassword },
        }));
    }

    public async Task DropAsync(string dossierSegment, string fileName, byte[] content)
    {
        await Inbox.CreateIfNotExistsAsync();
        await Inbox.GetBlobClient($"{dossierSegment}/{fileName}").UploadAsync(new BinaryData(content), overwrite: true);
    }

    public static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", name));

    /// <summary>A purchase invoice of its own: the sample credit note with another number, so other bytes.</summary>
    public static byte[] PurchaseDocument(int number) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Sample("demo-credit-note.xml")).Replace("MOL-CN-118", $"MOL-CN-{number:D4}", StringComparison.Ordinal));

    public string[] SftpFiles() => Directory.GetFiles(SftpFolder).Select(Path.GetFileName).OfType<string>().Order().ToArray();

    public List<MimeMessage> MessagesTo(string mailbox) =>
        Directory.Exists(_channels.MailDrop)
            ? Directory.GetFiles(_channels.MailDrop, "*.eml")
                .Select(path => MimeMessage.Load(path))
                .Where(m => m.To.Mailboxes.Any(a => a.Address == mailbox))
                .ToList()
            : [];

    public static async Task<JsonElement[]> GetArrayAsync(HttpClient api, string path) =>
        await api.GetItemsAsync(path);

    private static async Task Expect(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
