using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.ProviderFakes;
using Koppel.ProviderFakes.Yuki;
using Koppel.Server.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;

namespace Koppel.Dashboard.Tests.Support;

/// <summary>
/// A real Koppel server on Azurite with one dossier seeded through the API: a folder connection that delivers sales
/// invoices ("Outbox") and one whose folder is gone so purchase documents fail ("Purchase share"); an invoice and a
/// credit note uploaded. Plus Debian's Chromium, driven by Playwright with the settings of docs/toolchain.md section 7.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string Dossier = "0403170701";
    public const string DossierName = "Demo Bakkerij BV";
    public const string OtherDossier = "0876543270";

    private readonly AzuriteFixture _azurite = new();
    private ProviderFakesHost? _fakes;

    /// <summary>The fake Yuki the server's Yuki connections talk to.</summary>
    public YukiFake Yuki { get; private set; } = null!;
    private IPlaywright? _playwright;

    public ServerSettings Settings { get; private set; } = null!;

    public InProcessServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    /// <summary>The folder of the failing connection: missing until a test "fixes the share" by creating it.</summary>
    public string BrokenFolder { get; private set; } = null!;

    public string InvoiceId { get; private set; } = null!;

    public string CreditNoteId { get; private set; } = null!;

    /// <summary>Where the screenshots go: TestResults/dashboard-screenshots below the test's output folder.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "dashboard-screenshots");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var work = Path.Combine(Path.GetTempPath(), "koppel-dashboard-" + Guid.NewGuid().ToString("N")[..8]);
        Settings = new ServerSettings(_azurite.ConnectionString, work);
        Settings.Values["Koppel:Api:Jwt:Issuer"] = TokenIssuer;
        Settings.Values["Koppel:Api:Jwt:Audience"] = TokenAudience;
        Settings.Values["Koppel:Api:Jwt:IssuerPublicKeyPem"] = IssuerKey.ExportSubjectPublicKeyInfoPem();

        // Yuki as a fake that follows its documented SOAP API: an accounting firm's domain key reaches its clients.
        Yuki = new YukiFake();
        _fakes = await ProviderFakesHost.StartAsync([Yuki]);
        Settings.Values["Koppel:Providers:Yuki:BaseUrl"] = new Uri(_fakes.BaseUrlOf(Yuki), "ws/").ToString();
        Server = await InProcessServer.StartAsync(Settings);
        Admin = Server.Client(Settings.AdminKey);
        if (Directory.Exists(ScreenshotFolder))
        {
            Directory.Delete(ScreenshotFolder, recursive: true); // this run's screenshots only
        }

        Directory.CreateDirectory(ScreenshotFolder);

        await PostAsync("/api/dossiers", new { name = DossierName, enterpriseNumber = Dossier, contactEmail = "boekhouding@example.be" });
        await PostAsync("/api/dossiers", new { name = "Firma B", enterpriseNumber = OtherDossier, contactEmail = "info@example.be" });
        var outbox = Directory.CreateDirectory(Path.Combine(work, "outbox")).FullName;
        BrokenFolder = Directory.CreateDirectory(Path.Combine(work, "purchase-share")).FullName;
        await PostAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "local-folder",
            displayName = "Outbox",
            documentKinds = new[] { "SalesInvoice" },
            options = new Dictionary<string, string> { ["path"] = outbox },
        });
        await PostAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "local-folder",
            displayName = "Purchase share",
            documentKinds = new[] { "PurchaseInvoice" },
            options = new Dictionary<string, string> { ["path"] = BrokenFolder },
        });
        Directory.Delete(BrokenFolder); // the share is unmounted: deliveries to it fail until it is back

        InvoiceId = await UploadAsync("demo-invoice.xml");
        CreditNoteId = await UploadAsync("demo-credit-note.xml");
        await Eventually.HoldsAsync(async () => await StatusOfAsync(InvoiceId) == "Delivered", TimeSpan.FromSeconds(30), "the invoice is delivered");
        await Eventually.HoldsAsync(async () => await StatusOfAsync(CreditNoteId) is "Failed" or "DeadLettered", TimeSpan.FromSeconds(30), "the credit note fails");

        _playwright = await Playwright.CreateAsync();
        Browser = await DebianChromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        IssuerKey.Dispose();
        if (_fakes is not null)
        {
            await _fakes.DisposeAsync();
        }

        Admin?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    private const string TokenIssuer = "https://idp.platform.example";
    private const string TokenAudience = "api://koppel";

    /// <summary>The platform's identity provider's signing key; the server trusts its public half.</summary>
    public RSA IssuerKey { get; } = RSA.Create(2048);

    /// <summary>A bearer token as the platform's identity provider issues it, for the dossiers named (or "*"), signed by <paramref name="key"/>.</summary>
    public string Token(string dossiers, RSA? key = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = TokenIssuer,
        Audience = TokenAudience,
        Claims = new Dictionary<string, object> { ["sub"] = "firm-b-bookkeeper", ["koppel:dossier"] = dossiers },
        Expires = DateTime.UtcNow.AddMinutes(30),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? IssuerKey), SecurityAlgorithms.RsaSha256),
    });

    /// <summary>A fresh browser context (its own sessionStorage) on the dashboard, sized for readable screenshots.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> OpenAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Server.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return (context, page);
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    private async Task<string?> StatusOfAsync(string documentId)
    {
        var document = await Admin.GetFromJsonAsync<JsonElement>($"/api/dossiers/{Dossier}/documents/{documentId}");
        return document.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("status").GetString()).FirstOrDefault();
    }

    private async Task PostAsync(string path, object body)
    {
        using var response = await Admin.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<string> UploadAsync(string sample)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", sample)));
        using var response = await Admin.PostAsync($"/api/dossiers/{Dossier}/documents?fileName={sample}", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{sample}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetString()!;
    }
}
