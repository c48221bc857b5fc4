using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Server.Tests.Support;

namespace Koppel.Server.Tests.Api;

/// <summary>
/// What only the self-hosted server does: API keys, dossier scoping of keys, and its background workers finishing a
/// delivery and an export. The request/answer contract both front doors share is in tests/Koppel.Functions.Tests/Api.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Dossier = "0403170701";
    private ServerSettings _settings = null!;
    private InProcessServer _server = null!;
    private HttpClient _admin = null!;
    private string _outbox = null!;

    public async Task InitializeAsync()
    {
        var work = Path.Combine(Path.GetTempPath(), "koppel-api-" + Guid.NewGuid().ToString("N")[..8]);
        _settings = new ServerSettings(azurite.ConnectionString, work);
        _outbox = Path.Combine(work, "outbox");
        Directory.CreateDirectory(_outbox);
        _server = await InProcessServer.StartAsync(_settings);
        _admin = _server.Client(_settings.AdminKey);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
        if (Directory.Exists(_settings.WorkDirectory))
        {
            Directory.Delete(_settings.WorkDirectory, recursive: true);
        }
    }

    private async Task CreateDossierAsync(string id = Dossier, string name = "Demo Bakkerij BV")
    {
        var response = await _admin.PostAsJsonAsync("/api/dossiers", new { name, enterpriseNumber = id, contactEmail = "boekhouding@example.be" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<string> CreateFolderConnectionAsync()
    {
        var response = await _admin.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "local-folder",
            documentKinds = new[] { "SalesInvoice", "PurchaseInvoice", "BankStatement" },
            options = new Dictionary<string, string> { ["path"] = _outbox },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private Task<HttpResponseMessage> UploadAsync(string sample, string fileName) =>
        _admin.PostAsync($"/api/dossiers/{Dossier}/documents?fileName={fileName}", new ByteArrayContent(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", sample))));

    [Fact]
    public async Task Requests_without_a_valid_api_key_are_refused()
    {
        using var anonymous = _server.Client(null);
        using var wrong = _server.Client("not-a-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/dossiers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/dossiers")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_caller_is_refused_a_dossier_it_may_not_see()
    {
        await CreateDossierAsync();
        using var firmB = _server.Client(_settings.OtherFirmKey);

        Assert.Equal(HttpStatusCode.Forbidden, (await firmB.GetAsync($"/api/dossiers/{Dossier}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await firmB.GetAsync($"/api/dossiers/{Dossier}/runs")).StatusCode);
        Assert.Empty(await firmB.GetItemsAsync("/api/dossiers"));
    }

    [Fact]
    public async Task A_dossier_scoped_key_cannot_read_another_dossier_with_a_continuation_token_from_it()
    {
        await CreateDossierAsync();
        await CreateDossierAsync("0876543270", "Firm B client");
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("demo-invoice.xml", "a.xml")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync("demo.cod", "b.cod")).StatusCode);
        await Eventually.HoldsAsync(
            async () => (await _admin.GetFromJsonAsync<JsonElement>($"/api/dossiers/{Dossier}/runs?pageSize=1")).GetProperty("continuationToken").GetString() is not null,
            TimeSpan.FromSeconds(30),
            "two runs are logged");
        var page = await _admin.GetFromJsonAsync<JsonElement>($"/api/dossiers/{Dossier}/runs?pageSize=1");
        var token = Uri.EscapeDataString(page.GetProperty("continuationToken").GetString()!);
        using var firmB = _server.Client(_settings.OtherFirmKey);

        var ownList = await firmB.GetAsync($"/api/dossiers/0876543270/runs?continuationToken={token}");
        var theirList = await firmB.GetAsync($"/api/dossiers/{Dossier}/runs?continuationToken={token}");

        Assert.Equal(HttpStatusCode.BadRequest, ownList.StatusCode);
        Assert.True((await ownList.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("continuationToken", out _));
        Assert.Equal(HttpStatusCode.Forbidden, theirList.StatusCode);
    }

    [Fact]
    public async Task An_uploaded_invoice_is_delivered_and_its_history_and_run_log_are_served()
    {
        await CreateDossierAsync();
        await CreateFolderConnectionAsync();

        var upload = await UploadAsync("demo-invoice.xml", "demo-invoice.xml");
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var documentId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetString();

        await Eventually.HoldsAsync(
            async () => (await _admin.GetStringAsync($"/api/dossiers/{Dossier}/documents/{documentId}/history")).Contains("\"Delivered\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the invoice is delivered to the folder");

        var history = await _admin.GetItemsAsync($"/api/dossiers/{Dossier}/documents/{documentId}/history");
        Assert.Equal(["Received", "Queued", "Delivered"], history!.Select(h => h.GetProperty("event").GetString()));
        var files = Directory.GetFiles(_outbox, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith(".xml", StringComparison.Ordinal) && f.Contains("SalesInvoice", StringComparison.Ordinal));

        var runs = await _admin.GetItemsAsync($"/api/dossiers/{Dossier}/runs");
        Assert.Contains(runs!, r => r.GetProperty("category").GetString() == "Ingest" && r.GetProperty("status").GetString() == "Succeeded");
        Assert.Contains(runs!, r => r.GetProperty("category").GetString() == "Delivery" && r.GetProperty("provider").GetString() == "local-folder");

        var content = await _admin.GetByteArrayAsync($"/api/dossiers/{Dossier}/documents/{documentId}/content");
        Assert.Equal(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", "demo-invoice.xml")), content);
    }

    [Fact]
    public async Task A_manual_export_answers_202_with_a_run_whose_progress_can_be_followed()
    {
        await CreateDossierAsync();
        await CreateFolderConnectionAsync();
        var upload = await UploadAsync("demo.cod", "demo.cod");
        var documentId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetString();

        var export = await _admin.PostAsJsonAsync($"/api/dossiers/{Dossier}/exports", new { documentIds = new[] { documentId }, resend = true });

        Assert.Equal(HttpStatusCode.Accepted, export.StatusCode);
        var location = export.Headers.Location!.ToString();
        await Eventually.HoldsAsync(
            async () => (await _admin.GetFromJsonAsync<JsonElement>(location)).GetProperty("status").GetString() == "Succeeded",
            TimeSpan.FromSeconds(30),
            "the export run finishes");
        var run = await _admin.GetFromJsonAsync<JsonElement>(location);
        Assert.Equal(1, run.GetProperty("succeededDocuments").GetInt32());
        Assert.Equal("integration-team", run.GetProperty("startedBy").GetString());
    }

    [Fact]
    public async Task An_export_dry_run_answers_what_would_be_sent_and_what_is_delivered_already_and_queues_nothing()
    {
        await CreateDossierAsync();
        await CreateFolderConnectionAsync();
        var invoice = await UploadAsync("demo-invoice.xml", "demo-invoice.xml");
        var invoiceId = (await invoice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetString();
        await Eventually.HoldsAsync(
            async () => (await _admin.GetStringAsync($"/api/dossiers/{Dossier}/documents/{invoiceId}/history")).Contains("\"Delivered\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the invoice is delivered to the folder");
        var runsBefore = (await _admin.GetItemsAsync($"/api/dossiers/{Dossier}/runs")).Length;
        var range = new { from = DateTimeOffset.UtcNow.AddDays(-1), to = DateTimeOffset.UtcNow.AddDays(1) };

        var dryRun = await _admin.PostAsJsonAsync($"/api/dossiers/{Dossier}/exports", new { range.from, range.to, resend = false, dryRun = true });
        var withResend = await _admin.PostAsJsonAsync($"/api/dossiers/{Dossier}/exports", new { range.from, range.to, resend = true, dryRun = true });

        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);
        var preview = await dryRun.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, preview.GetProperty("documents").GetInt32());
        Assert.Equal(0, preview.GetProperty("wouldSend").GetInt32());
        Assert.Equal(1, preview.GetProperty("alreadyDelivered").GetInt32());
        var item = preview.GetProperty("items").EnumerateArray().Single();
        Assert.Equal("Skip", item.GetProperty("action").GetString());
        Assert.False(string.IsNullOrEmpty(item.GetProperty("providerReference").GetString()));
        Assert.Equal(1, (await withResend.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("wouldSend").GetInt32());
        Assert.Equal(runsBefore, (await _admin.GetItemsAsync($"/api/dossiers/{Dossier}/runs")).Length);
        Assert.Single(await _admin.GetItemsAsync($"/api/dossiers/{Dossier}/deliveries"));
    }

    [Fact]
    public async Task A_dossier_key_cannot_set_up_a_local_folder_even_for_its_own_dossier()
    {
        await CreateDossierAsync("0876543270", "Firma B");
        using var firm = _server.Client(_settings.OtherFirmKey);

        var response = await firm.PostAsJsonAsync("/api/dossiers/0876543270/connections", new
        {
            provider = "local-folder",
            documentKinds = new[] { "PurchaseInvoice" },
            options = new Dictionary<string, string> { ["path"] = _outbox },
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("operator", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/etc", "must lie inside a base folder")]
    [InlineData("/root", "must lie inside a base folder")]
    [InlineData("../../..", "must not contain '..'")]
    public async Task A_local_folder_outside_the_allowed_base_folders_is_refused_on_save(string path, string expected)
    {
        await CreateDossierAsync();

        var response = await _admin.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "local-folder",
            documentKinds = new[] { "PurchaseInvoice" },
            options = new Dictionary<string, string> { ["path"] = path },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains(expected, errors.GetProperty("options")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_are_checked_when_saved_not_when_the_first_delivery_fails()
    {
        await CreateDossierAsync();

        var response = await _admin.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "sftp",
            documentKinds = new[] { "PurchaseInvoice" },
            options = new Dictionary<string, string> { ["host"] = "sftp.example.be", ["username"] = "boekhouder", ["hostKeySha256"] = "not-a-fingerprint" },
            credentials = new Dictionary<string, string> { ["password"] = "geheim-wachtwoord" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("hostKeySha256", body, StringComparison.Ordinal);
        Assert.DoesNotContain("geheim-wachtwoord", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_setting_is_a_400_naming_it_not_a_500()
    {
        await CreateDossierAsync();

        var response = await _admin.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "sftp",
            documentKinds = new[] { "PurchaseInvoice" },
            options = new Dictionary<string, string> { ["host"] = "sftp.example.be", ["username"] = new string('u', 100_000) },
            credentials = new Dictionary<string, string> { ["password"] = "x" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("options.username", out _));
    }

    [Fact]
    public async Task An_upload_above_kestrels_default_but_within_the_documented_limit_is_taken_and_judged()
    {
        await CreateDossierAsync();
        var body = new byte[40 * 1024 * 1024];
        new Random(7).NextBytes(body);

        var response = await _admin.PostAsync($"/api/dossiers/{Dossier}/documents?fileName=big.bin", new ByteArrayContent(body));

        // 40 MB of noise: read in full and quarantined for what it is, not cut off at 30 MB.
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("UNKNOWN-FORMAT", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quarantine").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_file_name_with_two_dots_inside_is_an_ordinary_name()
    {
        await CreateDossierAsync();

        var response = await UploadAsync("demo-invoice.xml", "inv..xml");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_file_for_a_dossier_that_does_not_exist_yet_can_be_listed_downloaded_and_ingested_once_it_does()
    {
        var early = await UploadAsync("demo-invoice.xml", "early.xml");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);

        var listed = await _admin.GetItemsAsync($"/api/dossiers/{Dossier}/quarantine");
        var path = Assert.Single(listed!).GetProperty("path").GetString()!;
        var bytes = await _admin.GetByteArrayAsync($"/api/quarantine/content?path={Uri.EscapeDataString(path)}");
        Assert.Equal(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", "demo-invoice.xml")), bytes);
        using var firm = _server.Client(_settings.OtherFirmKey);
        Assert.Equal(HttpStatusCode.NotFound, (await firm.GetAsync($"/api/quarantine/content?path={Uri.EscapeDataString(path)}")).StatusCode);

        await CreateDossierAsync();
        var again = await _admin.PostAsync($"/api/quarantine/reingest?path={Uri.EscapeDataString(path)}", null);

        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Empty((await _admin.GetItemsAsync($"/api/dossiers/{Dossier}/quarantine")));
        Assert.Single((await _admin.GetItemsAsync($"/api/dossiers/{Dossier}/documents")));
    }
}
