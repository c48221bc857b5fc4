using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Ports;
using Koppel.ProviderFakes;
using Koppel.ProviderFakes.ExactOnline;
using Koppel.ProviderFakes.Yuki;
using Koppel.Server.Tests.Support;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Server.Tests.EndToEnd;

/// <summary>
/// The self-hosted server delivering to accounting packages: one dossier connected to Yuki and to Exact Online (its
/// consent given through Koppel's API and Exact's sign-in page, as a user's browser does it). A sales invoice, a
/// purchase invoice, a purchase credit note and a CODA file arrive at both fakes in the shape each takes them, and the
/// history and run log show each provider's reference; no key, token or client secret is in any answer or log line.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AccountingEndToEndTests(AzuriteFixture azurite)
{
    private const string Dossier = "0403170701";
    private const string YukiKey = "yuki-e2e-key-6f1d2c";
    private const int Division = 480112;
    private const string PurchaseNumber = "KNO-2026-0107";
    private static readonly Guid Administration = new("0b2c7e4a-0000-4000-8000-00000000e2e0");

    private static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", name));

    /// <summary>The demo sales invoice the other way round: Koffiehuis Noord bills the dossier, so a purchase invoice with its own number.</summary>
    private static byte[] PurchaseInvoice()
    {
        var document = XDocument.Parse(Encoding.UTF8.GetString(Sample("demo-invoice.xml")), LoadOptions.PreserveWhitespace);
        XNamespace cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
        var root = document.Root!;
        var supplier = root.Element(cac + "AccountingSupplierParty")!.Element(cac + "Party")!;
        var customer = root.Element(cac + "AccountingCustomerParty")!.Element(cac + "Party")!;
        var (supplierCopy, customerCopy) = (new XElement(supplier), new XElement(customer));
        supplier.ReplaceWith(customerCopy);
        customer.ReplaceWith(supplierCopy);

        // Its number (and the name of its embedded PDF) differ, so it is a document of its own.
        var xml = document.Declaration + document.ToString(SaveOptions.DisableFormatting);
        return Encoding.UTF8.GetBytes(xml.Replace("KOP-2026-0042", PurchaseNumber, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Documents_reach_yuki_and_exact_in_their_shapes_and_the_history_shows_both_references_without_any_secret()
    {
        var yuki = new YukiFake();
        yuki.AddDomainKey(YukiKey, "e2e-domain", (Administration, "Demo Bakkerij BV"));
        var exact = new ExactOnlineFake { ClientSecret = "exact-e2e-client-secret-" + Guid.NewGuid().ToString("N")[..8] };
        var exactUser = exact.AddUser("An Peeters", Division);
        exact.AddGLAccount(Division, "700000", "Sales of goods");
        exact.AddGLAccount(Division, "604000", "Purchases of goods");
        exact.ConsentingUser = exactUser;
        await using var fakes = await ProviderFakesHost.StartAsync([yuki, exact]);

        var settings = new ServerSettings(azurite.ConnectionString, Path.Combine(Path.GetTempPath(), "koppel-e2e-accounting-" + Guid.NewGuid().ToString("N")[..8]));
        settings.Values["Koppel:Providers:Yuki:BaseUrl"] = new Uri(fakes.BaseUrlOf(yuki), "ws/").ToString();
        settings.Values["Koppel:Providers:ExactOnline:BaseUrl"] = fakes.BaseUrlOf(exact).ToString();
        settings.Values["Koppel:Providers:ExactOnline:ClientId"] = exact.ClientId;
        settings.Values["Koppel:Providers:ExactOnline:RedirectUri"] = exact.RedirectUri;
        var logs = new CapturedLogs();
        await using var server = await InProcessServer.StartAsync(settings, logs);

        // The operator puts the Exact app's client secret in the secret store, never in configuration.
        await server.Services.GetRequiredService<ISecretStore>().SetAsync("exact-online-client-secret", exact.ClientSecret, CancellationToken.None);

        using var api = server.Client(settings.AdminKey);
        var answers = new List<string>();
        await Expect(await api.PostAsJsonAsync("/api/dossiers", new { name = "Demo Bakkerij BV", enterpriseNumber = Dossier }), answers);
        await Expect(
            await api.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
            {
                provider = "yuki",
                documentKinds = new[] { "SalesInvoice", "PurchaseInvoice", "BankStatement" },
                options = new Dictionary<string, string> { ["administrationId"] = Administration.ToString(), ["salesInvoiceMode"] = "book", ["glAccountCode"] = "700000" },
                credentials = new Dictionary<string, string> { ["apiKey"] = YukiKey },
            }),
            answers);
        var exactConnection = (await Expect(
            await api.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
            {
                provider = "exact-online",
                documentKinds = new[] { "SalesInvoice", "PurchaseInvoice", "BankStatement" },
                options = new Dictionary<string, string>
                {
                    ["country"] = "be",
                    ["division"] = Division.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["mode.SalesInvoice"] = "book",
                    ["mode.PurchaseInvoice"] = "book",
                    ["salesJournal"] = "70",
                    ["purchaseJournal"] = "60",
                    ["salesGLAccount"] = "700000",
                    ["purchaseGLAccount"] = "604000",
                    ["vatCodes"] = "21=4;12=3;6=2;0=0",
                },
            }),
            answers)).GetProperty("id").GetString()!;

        // Consent: Koppel gives the Exact sign-in URL, the browser signs in there and comes back with code and state,
        // which the platform's redirect page hands to Koppel's callback.
        var start = await Expect(await api.PostAsync($"/api/dossiers/{Dossier}/connections/{exactConnection}/consent", null), answers);
        var (code, state) = await SignInAtExactAsync(new Uri(start.GetProperty("authorizationUrl").GetString()!), exact.RedirectUri);
        var completed = await Expect(await api.PostAsJsonAsync("/api/oauth/callback", new { code, state }), answers);
        Assert.Contains("An Peeters", completed.GetProperty("message").GetString(), StringComparison.Ordinal);
        var test = await Expect(await api.PostAsync($"/api/dossiers/{Dossier}/connections/{exactConnection}/test", null), answers);
        Assert.True(test.GetProperty("success").GetBoolean(), test.ToString());

        var invoice = await Upload(api, "demo-invoice.xml", Sample("demo-invoice.xml"), answers);
        var purchase = await Upload(api, "purchase-invoice.xml", PurchaseInvoice(), answers);
        var creditNote = await Upload(api, "demo-credit-note.xml", Sample("demo-credit-note.xml"), answers);
        await Upload(api, "demo.cod", Sample("demo.cod"), answers);

        await Eventually.HoldsAsync(
            async () => (await api.GetItemsAsync($"/api/dossiers/{Dossier}/deliveries?status=Delivered")).Length == 8,
            TimeSpan.FromSeconds(90),
            "the sales invoice, the purchase invoice, the purchase credit note and the statement are delivered to Yuki and to Exact");

        // Yuki: the sales invoice booked as Yuki's SalesInvoices XML; the purchase documents handed over to the purchase
        // folder and the statement to the bank folder, byte for byte.
        var booked = Assert.Single(yuki.SalesInvoices);
        Assert.Equal("KOP-2026-0042", booked.Reference);
        Assert.Equal(Administration, booked.AdministrationId);
        Assert.Equal(2, yuki.Documents.Count(d => d.Folder == 1));
        Assert.Contains(yuki.Documents, d => d.Folder == 1 && d.Content.SequenceEqual(Sample("demo-credit-note.xml")));
        Assert.Equal(Sample("demo.cod"), Assert.Single(yuki.Documents, d => d.Folder == 3).Content);

        // Exact: a sales entry (type 20) and two purchase entries, the invoice (30) and the credit note (31, negative),
        // each with the invoice number as YourRef; the statement in the division's postbox as a bank import file.
        var sales = Assert.Single(exact.Rows(Division, "salesentry/SalesEntries"));
        Assert.Equal("KOP-2026-0042", (string?)sales["YourRef"]);
        Assert.Equal(20, (int?)sales["Type"]);
        Assert.Equal(218.57m, Lines(sales, "SalesEntryLines").Sum(l => (decimal)l["AmountFC"]!));
        var purchases = exact.Rows(Division, "purchaseentry/PurchaseEntries");
        Assert.Equal(2, purchases.Count);
        var purchaseEntry = Assert.Single(purchases, p => (string?)p["YourRef"] == PurchaseNumber);
        Assert.Equal(30, (int?)purchaseEntry["Type"]);
        var credit = Assert.Single(purchases, p => (string?)p["YourRef"] == "MOL-CN-118");
        Assert.Equal(31, (int?)credit["Type"]);
        Assert.All(Lines(credit, "PurchaseEntryLines"), l => Assert.True((decimal)l["AmountFC"]! < 0));
        var statement = Assert.Single(exact.Rows(Division, "mailbox/MailMessagesSent"));
        Assert.Equal(2000, (int?)statement["Type"]);
        var codaFile = Assert.Single(exact.Rows(Division, "mailbox/MailMessageAttachments"), a => (string?)a["MailMessageID"] == (string?)statement["ID"]);
        Assert.Equal(Sample("demo.cod"), Convert.FromBase64String((string)codaFile["Attachment"]!));

        // The history of each invoice and the run log name both providers and their references.
        var history = await Get(api, $"/api/dossiers/{Dossier}/documents/{invoice}/history", answers);
        Assert.Contains("KOP-2026-0042", history, StringComparison.Ordinal);
        Assert.Contains("\"provider\":\"yuki\"", history, StringComparison.Ordinal);
        Assert.Contains("\"provider\":\"exact-online\"", history, StringComparison.Ordinal);
        Assert.Contains(((int)sales["EntryNumber"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), history, StringComparison.Ordinal);
        var purchaseHistory = await Get(api, $"/api/dossiers/{Dossier}/documents/{purchase}/history", answers);
        Assert.Contains(((int)purchaseEntry["EntryNumber"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), purchaseHistory, StringComparison.Ordinal);
        var creditHistory = await Get(api, $"/api/dossiers/{Dossier}/documents/{creditNote}/history", answers);
        Assert.Contains(((int)credit["EntryNumber"]!).ToString(System.Globalization.CultureInfo.InvariantCulture), creditHistory, StringComparison.Ordinal);
        var runs = await Get(api, $"/api/dossiers/{Dossier}/runs", answers);
        Assert.Contains("\"provider\":\"yuki\"", runs, StringComparison.Ordinal);
        Assert.Contains("\"provider\":\"exact-online\"", runs, StringComparison.Ordinal);
        Assert.Contains("Delivered to Yuki, reference sales invoice KOP-2026-0042", runs, StringComparison.Ordinal);
        foreach (var entry in new[] { sales, purchaseEntry, credit })
        {
            Assert.Contains($"Delivered to Exact Online, reference {(int)entry["EntryNumber"]!} ({(string)entry["EntryID"]!})", runs, StringComparison.OrdinalIgnoreCase);
        }

        var ledger = await Get(api, $"/api/dossiers/{Dossier}/deliveries", answers);
        Assert.Contains((string)statement["ID"]!, ledger, StringComparison.OrdinalIgnoreCase);
        await Get(api, $"/api/dossiers/{Dossier}/connections", answers);
        await Get(api, $"/api/dossiers/{Dossier}/documents", answers);

        var secrets = new List<string>(exact.IssuedSecrets) { YukiKey, exact.ClientSecret };
        Assert.True(secrets.Count >= 4, "the fake issued a code, an access token and a refresh token");
        foreach (var secret in secrets)
        {
            Assert.All(answers, answer => Assert.DoesNotContain(secret, answer, StringComparison.Ordinal));
            Assert.All(logs.Lines, line => Assert.DoesNotContain(secret, line, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_sandbox_connects_the_demo_dossier_to_yuki_and_exact_on_start_and_books_the_demo_invoice_in_both()
    {
        IProviderFake[] sandbox = [.. SandboxFakes.All()];
        await using var fakes = await ProviderFakesHost.StartAsync(sandbox);
        var exact = sandbox.OfType<ExactOnlineFake>().Single();
        var settings = new ServerSettings(azurite.ConnectionString, Path.Combine(Path.GetTempPath(), "koppel-e2e-sandbox-" + Guid.NewGuid().ToString("N")[..8]));

        // What scripts/dev.sh --sandbox sets.
        settings.Values["Koppel:Demo:Enabled"] = "true";
        settings.Values["Koppel:Demo:Sandbox"] = "true";
        settings.Values["Koppel:Demo:OutboxPath"] = Path.Combine(settings.WorkDirectory, "outbox");
        settings.Values["Koppel:Providers:Yuki:BaseUrl"] = new Uri(fakes.Root, "yuki/ws/").ToString();
        settings.Values["Koppel:Providers:ExactOnline:BaseUrl"] = new Uri(fakes.Root, "exact-online/").ToString();
        settings.Values["Koppel:Providers:ExactOnline:ClientId"] = exact.ClientId;
        settings.Values["Koppel:Providers:ExactOnline:ClientSecret"] = SandboxFakes.ExactClientSecret;
        settings.Values["Koppel:Providers:ExactOnline:RedirectUri"] = exact.RedirectUri;
        await using var server = await InProcessServer.StartAsync(settings);
        using var api = server.Client(settings.AdminKey);

        var invoice = await Upload(api, "demo-invoice.xml", Sample("demo-invoice.xml"), []);

        await Eventually.HoldsAsync(
            async () => (await api.GetItemsAsync($"/api/dossiers/{Dossier}/deliveries?status=Delivered")).Length == 3,
            TimeSpan.FromSeconds(60),
            "the demo invoice is delivered to the demo outbox, the sandbox Yuki and the sandbox Exact");
        var entry = Assert.Single(exact.Rows(SandboxFakes.ExactDivision, "salesentry/SalesEntries"));
        var history = await Get(api, $"/api/dossiers/{Dossier}/documents/{invoice}/history", []);
        Assert.Contains("Delivered to Yuki (sandbox), reference sales invoice KOP-2026-0042", history, StringComparison.Ordinal);
        Assert.Contains($"Delivered to Exact Online (sandbox), reference {(int)entry["EntryNumber"]!}", history, StringComparison.Ordinal);
    }

    private static IEnumerable<JsonObject> Lines(JsonObject entry, string name) => entry[name]!.AsArray().OfType<JsonObject>();

    /// <summary>What the user's browser does: open Exact's URL, sign in, and get sent back to the redirect URI with code and state.</summary>
    private static async Task<(string Code, string State)> SignInAtExactAsync(Uri authorizationUrl, string redirectUri)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(authorizationUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var back = response.Headers.Location!;
        Assert.StartsWith(redirectUri, back.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(back.Query);
        return (query["code"].ToString(), query["state"].ToString());
    }

    private static async Task<string> Upload(HttpClient api, string fileName, byte[] content, List<string> answers)
    {
        var response = await api.PostAsync($"/api/dossiers/{Dossier}/documents?fileName={fileName}", new ByteArrayContent(content));
        var body = await response.Content.ReadAsStringAsync();
        answers.Add(body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{fileName}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("documentId").GetString()!;
    }

    private static async Task<string> Get(HttpClient api, string path, List<string> answers)
    {
        var body = await api.GetStringAsync(path);
        answers.Add(body);
        return body;
    }

    private static async Task<JsonElement> Expect(HttpResponseMessage response, List<string> answers)
    {
        var body = await response.Content.ReadAsStringAsync();
        answers.Add(body);
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
