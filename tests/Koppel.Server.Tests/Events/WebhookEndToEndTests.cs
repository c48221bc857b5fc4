using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Events;
using Koppel.Server.Tests.Support;
using Koppel.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Server.Tests.Events;

/// <summary>
/// The platform hears about deliveries: the server in this process, Azurite, and a real https webhook endpoint. The
/// receiver checks the signature itself, as a platform would.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Dossier = "0403170701";
    private ServerSettings _settings = null!;
    private WebhookReceiver _receiver = null!;
    private InProcessServer _server = null!;
    private HttpClient _admin = null!;
    private string _outbox = null!;

    public async Task InitializeAsync()
    {
        var work = Path.Combine(Path.GetTempPath(), "koppel-hooks-" + Guid.NewGuid().ToString("N")[..8]);
        _settings = new ServerSettings(azurite.ConnectionString, work);
        _settings.Values["Koppel:Webhooks:FirstRetryDelay"] = "00:00:01";
        _settings.Values["Koppel:Webhooks:MaxAttempts"] = "3";
        _outbox = Path.Combine(work, "outbox");
        Directory.CreateDirectory(_outbox);
        _receiver = await WebhookReceiver.StartAsync();
        var trusted = _receiver.Certificate.Thumbprint;
        _server = await InProcessServer.StartAsync(_settings, configure: builder =>
            builder.Services.Configure<WebhookHttpOptions>(o => o.ServerCertificateValidation = (_, certificate, _, _) => certificate?.GetCertHashString() == trusted));
        _admin = _server.Client(_settings.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync("/api/dossiers", new { name = "Demo Bakkerij BV", enterpriseNumber = Dossier })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await _admin.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "local-folder",
            documentKinds = new[] { "SalesInvoice", "PurchaseInvoice", "BankStatement" },
            options = new Dictionary<string, string> { ["path"] = _outbox },
        })).StatusCode);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _server.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private async Task<(string Id, string Secret)> SubscribeAsync(Uri url)
    {
        var response = await _admin.PostAsJsonAsync("/api/webhooks", new { platform = "Billing platform", url = url.AbsoluteUri, eventTypes = new[] { EventTypes.DocumentDelivered } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (created.GetProperty("webhook").GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!);
    }

    private async Task<string> UploadInvoiceAsync()
    {
        var upload = await _admin.PostAsync($"/api/dossiers/{Dossier}/documents?fileName=demo-invoice.xml", new ByteArrayContent(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", "demo-invoice.xml"))));
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        return (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetString()!;
    }

    [Fact]
    public async Task A_delivered_invoice_reaches_the_platform_as_a_signed_cloud_event_after_the_receiver_failed_once_and_lands_in_the_events_container()
    {
        var (_, secret) = await SubscribeAsync(_receiver.Url);
        _receiver.Script.Enqueue(HttpStatusCode.InternalServerError);

        var documentId = await UploadInvoiceAsync();
        await Eventually.HoldsAsync(() => Task.FromResult(_receiver.Posts.Count >= 2), TimeSpan.FromSeconds(45), "the event is posted, refused once, and posted again");

        var posts = _receiver.Posts.ToArray();
        Assert.Equal(posts[0].Id, posts[1].Id); // the same event: the platform can drop repeats by id
        Assert.All(posts, p => Assert.True(WebhookReceiver.SignatureHolds(p, secret), "the signature holds with the secret the platform was given"));
        Assert.StartsWith("application/cloudevents+json", posts[1].ContentType, StringComparison.Ordinal);
        var cloudEvent = JsonDocument.Parse(posts[1].Body).RootElement;
        Assert.Equal("1.0", cloudEvent.GetProperty("specversion").GetString());
        Assert.Equal(EventTypes.DocumentDelivered, cloudEvent.GetProperty("type").GetString());
        Assert.Equal($"/koppel/dossiers/{Dossier}", cloudEvent.GetProperty("source").GetString());
        Assert.Equal(documentId, cloudEvent.GetProperty("data").GetProperty("documentId").GetString());
        Assert.False(string.IsNullOrEmpty(cloudEvent.GetProperty("data").GetProperty("providerReference").GetString()));

        var container = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(_settings.Prefix + "events");
        var stored = Assert.Single(await container.GetBlobsAsync().ToListAsync());
        Assert.EndsWith($"{Uri.EscapeDataString(posts[0].Id)}.json", stored.Name, StringComparison.Ordinal);
        var storedBody = (await container.GetBlobClient(stored.Name).DownloadContentAsync()).Value.Content.ToArray();
        Assert.Equal(posts[1].Body, storedBody);
    }

    [Fact]
    public async Task An_event_the_receiver_keeps_refusing_is_dead_lettered_visible_and_replayable()
    {
        var (hookId, _) = await SubscribeAsync(_receiver.Url);
        for (var i = 0; i < 3; i++)
        {
            _receiver.Script.Enqueue(HttpStatusCode.ServiceUnavailable);
        }

        await UploadInvoiceAsync();
        await Eventually.HoldsAsync(
            async () => (await _admin.GetItemsAsync($"/api/webhooks/{hookId}/dead-letters")).Length == 1,
            TimeSpan.FromSeconds(45),
            "the event is dead-lettered after three refused posts");
        var letter = Assert.Single(await _admin.GetItemsAsync($"/api/webhooks/{hookId}/dead-letters"));
        Assert.Equal(3, letter.GetProperty("attempts").GetInt32());
        Assert.Contains("503", letter.GetProperty("lastError").GetString(), StringComparison.Ordinal);

        var replay = await _admin.PostAsJsonAsync($"/api/webhooks/{hookId}/dead-letters/replay", new { });
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        await Eventually.HoldsAsync(() => Task.FromResult(_receiver.Posts.Count == 4), TimeSpan.FromSeconds(30), "the replayed event is taken");
        Assert.Empty(await _admin.GetItemsAsync($"/api/webhooks/{hookId}/dead-letters"));
    }

    [Fact]
    public async Task Webhooks_are_refused_for_plain_http_for_internal_addresses_and_for_dossier_scoped_keys()
    {
        var http = await _admin.PostAsJsonAsync("/api/webhooks", new { platform = "p", url = "http://hooks.example.com/koppel" });
        var metadata = await _admin.PostAsJsonAsync("/api/webhooks", new { platform = "p", url = "https://169.254.169.254/latest/meta-data" });
        using var firmB = _server.Client(_settings.OtherFirmKey);
        var scoped = await firmB.PostAsJsonAsync("/api/webhooks", new { platform = "p", url = _receiver.Url.AbsoluteUri });

        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, metadata.StatusCode);
        Assert.Contains("169.254.169.254", await metadata.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, scoped.StatusCode);
        Assert.Empty(await _admin.GetItemsAsync("/api/webhooks"));
    }
}
