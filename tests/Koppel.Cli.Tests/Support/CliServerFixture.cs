using System.Net;
using System.Net.Http.Json;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Server.Tests.Support;

namespace Koppel.Cli.Tests.Support;

/// <summary>
/// A real Koppel server on Azurite with one dossier whose sales invoices go to a local "Outbox" folder. The invoice is
/// uploaded once, through the CLI, by the first test that needs it.
/// </summary>
public sealed class CliServerFixture : IAsyncLifetime
{
    public const string Dossier = "0403170701";
    public const string DossierName = "Demo Bakkerij BV";

    private readonly AzuriteFixture _azurite = new();
    private readonly SemaphoreSlim _uploadOnce = new(1, 1);
    private string? _invoiceId;

    public InProcessServer Server { get; private set; } = null!;

    public ServerSettings Settings { get; private set; } = null!;

    public string Outbox { get; private set; } = null!;

    public string WorkDirectory { get; private set; } = null!;

    /// <summary>The server and admin key, as a user would export them.</summary>
    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["KOPPEL_SERVER"] = Server.BaseAddress.ToString(),
        ["KOPPEL_API_KEY"] = Settings.AdminKey,
        ["HOME"] = WorkDirectory, // no user's own ~/.config/koppel
    };

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        WorkDirectory = Path.Combine(Path.GetTempPath(), "koppel-cli-" + Guid.NewGuid().ToString("N")[..8]);
        Settings = new ServerSettings(_azurite.ConnectionString, WorkDirectory);
        Server = await InProcessServer.StartAsync(Settings);
        using var admin = Server.Client(Settings.AdminKey);
        await PostAsync(admin, "/api/dossiers", new { name = DossierName, enterpriseNumber = Dossier, contactEmail = "boekhouding@example.be" });
        Outbox = Directory.CreateDirectory(Path.Combine(WorkDirectory, "outbox")).FullName;
        await PostAsync(admin, $"/api/dossiers/{Dossier}/connections", new
        {
            provider = "local-folder",
            displayName = "Outbox",
            documentKinds = new[] { "SalesInvoice" },
            options = new Dictionary<string, string> { ["path"] = Outbox },
        });
    }

    /// <summary>The demo invoice's document id, uploaded with <c>koppel upload</c> the first time it is asked for.</summary>
    internal async Task<string> InvoiceIdAsync()
    {
        await _uploadOnce.WaitAsync();
        try
        {
            if (_invoiceId is null)
            {
                var upload = await KoppelCli.RunAsync(Environment, "upload", Dossier, Sample("demo-invoice.xml"), "--json");
                Assert.True(upload.ExitCode == 0, upload.ToString());
                _invoiceId = upload.Json.GetProperty("documentId").GetString()!;
                await Eventually.HoldsAsync(async () => (await EventsAsync(_invoiceId)).Contains("Delivered"), TimeSpan.FromSeconds(30), "the invoice is delivered to the outbox");
            }

            return _invoiceId;
        }
        finally
        {
            _uploadOnce.Release();
        }
    }

    /// <summary>The events of a document's history, read with <c>koppel history --json</c>.</summary>
    internal async Task<IReadOnlyList<string>> EventsAsync(string documentId)
    {
        var history = await KoppelCli.RunAsync(Environment, "history", Dossier, documentId, "--json");
        Assert.True(history.ExitCode == 0, history.ToString());
        return history.Json.EnumerateArray().Select(e => e.GetProperty("event").GetString()!).ToList();
    }

    public static string Sample(string name) => Path.Combine(AppContext.BaseDirectory, "samples", name);

    public async Task DisposeAsync()
    {
        _uploadOnce.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    private static async Task PostAsync(HttpClient admin, string path, object body)
    {
        using var response = await admin.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
