using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.ProviderFakes;
using Koppel.ProviderFakes.Yuki;
using Koppel.Server.Tests.Support;

namespace Koppel.Server.Tests.EndToEnd;

/// <summary>
/// The self-hosted server delivering to an accounting package: documents uploaded for a dossier connected to Yuki
/// arrive at the Yuki fake in the shape Yuki takes them, and the history and run log show Yuki's references.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AccountingEndToEndTests(AzuriteFixture azurite)
{
    private const string Dossier = "0403170701";
    private const string ApiKey = "yuki-e2e-key-6f1d2c";
    private static readonly Guid Administration = new("0b2c7e4a-0000-4000-8000-00000000e2e0");

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", name));

    [Fact]
    public async Task Invoices_credit_notes_and_statements_reach_yuki_in_its_shape_and_the_history_shows_yukis_references()
    {
        var yuki = new YukiFake();
        yuki.AddDomainKey(ApiKey, "e2e-domain", (Administration, "Demo Bakkerij BV"));
        await using var fakes = await ProviderFakesHost.StartAsync([yuki]);
        var settings = new ServerSettings(azurite.ConnectionString, Path.Combine(Path.GetTempPath(), "koppel-e2e-yuki-" + Guid.NewGuid().ToString("N")[..8]));
        settings.Values["Koppel:Providers:Yuki:BaseUrl"] = new Uri(fakes.BaseUrlOf(yuki), "ws/").ToString();
        await using var server = await InProcessServer.StartAsync(settings);
        using var api = server.Client(settings.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/dossiers", new { name = "Demo Bakkerij BV", enterpriseNumber = Dossier })).StatusCode);
        var created = await api.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "yuki",
            documentKinds = new[] { "SalesInvoice", "PurchaseInvoice", "BankStatement" },
            options = new Dictionary<string, string> { ["administrationId"] = Administration.ToString(), ["salesInvoiceMode"] = "book", ["glAccountCode"] = "700000" },
            credentials = new Dictionary<string, string> { ["apiKey"] = ApiKey },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var invoice = await Upload(api, "demo-invoice.xml");
        await Upload(api, "demo-credit-note.xml");
        await Upload(api, "demo.cod");

        await Eventually.HoldsAsync(
            async () => (await api.GetItemsAsync($"/api/dossiers/{Dossier}/deliveries?status=Delivered")).Length == 3,
            TimeSpan.FromSeconds(60),
            "the sales invoice, the purchase credit note and the statement are delivered to Yuki");

        // The sales invoice is booked as Yuki's SalesInvoices XML; the others are handed over to Yuki's folders.
        var booked = Assert.Single(yuki.SalesInvoices);
        Assert.Equal("KOP-2026-0042", booked.Reference);
        Assert.Equal(Administration, booked.AdministrationId);
        Assert.Equal(1, yuki.Documents.Count(d => d.Folder == 1));
        Assert.Equal(Sample("demo.cod"), Assert.Single(yuki.Documents, d => d.Folder == 3).Content);

        var history = await api.GetStringAsync($"/api/dossiers/{Dossier}/documents/{invoice}/history");
        Assert.Contains("KOP-2026-0042", history, StringComparison.Ordinal);
        Assert.Contains("\"provider\":\"yuki\"", history, StringComparison.Ordinal);
        var runs = await api.GetStringAsync($"/api/dossiers/{Dossier}/runs");
        var ledger = await api.GetStringAsync($"/api/dossiers/{Dossier}/deliveries");
        var connections = await api.GetStringAsync($"/api/dossiers/{Dossier}/connections");
        Assert.Contains("\"provider\":\"yuki\"", runs, StringComparison.Ordinal);
        foreach (var answer in new[] { history, runs, ledger, connections })
        {
            Assert.DoesNotContain(ApiKey, answer, StringComparison.Ordinal);
        }
    }

    private static async Task<string> Upload(HttpClient api, string sample)
    {
        var response = await api.PostAsync($"/api/dossiers/{Dossier}/documents?fileName={sample}", new ByteArrayContent(Sample(sample)));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetString()!;
    }
}
