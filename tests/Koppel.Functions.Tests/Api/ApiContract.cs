using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Koppel.Azure;
using Koppel.Azure.Queues;
using Koppel.Core.Connectors;
using Koppel.Core.Relations;
using Koppel.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Functions.Tests.Api;

/// <summary>
/// The HTTP API as a client sees it, asked the same way of both front doors: the self-hosted server
/// (<see cref="The_self_hosted_api"/>) and the Azure Functions app (<see cref="The_functions_api"/>). Same requests,
/// same answers; only who the caller is called differs (an API key's name, or "function-key").
/// </summary>
public abstract class ApiContract : IAsyncLifetime
{
    protected const string Dossier = "0403170701";

    private HttpClient _client = null!;

    /// <summary>The name the run log gives the caller these tests act as.</summary>
    protected abstract string CallerName { get; }

    protected HttpClient Client => _client;

    /// <summary>The front door's own services (its storage adapters), for seeding what a provider would have synced.</summary>
    protected abstract IServiceProvider Services { get; }

    public async Task InitializeAsync() => _client = await StartAsync();

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await StopAsync();
    }

    /// <summary>Starts the front door on fresh storage and returns a client that may act for every dossier.</summary>
    protected abstract Task<HttpClient> StartAsync();

    protected abstract Task StopAsync();

    [Fact]
    public async Task An_invalid_dossier_gets_a_problem_details_answer_naming_each_field()
    {
        var response = await Client.PostAsJsonAsync("/api/dossiers", new { name = "", enterpriseNumber = "0403170702", contactEmail = "nope" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Contains("mod-97", errors.GetProperty("enterpriseNumber")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("contactEmail", out _));
    }

    [Fact]
    public async Task Dossiers_can_be_created_read_updated_and_deleted()
    {
        var created = await CreateDossierAsync();
        Assert.Equal($"/api/dossiers/{Dossier}", created.Headers.Location?.ToString());

        var read = await Client.GetFromJsonAsync<JsonElement>("/api/dossiers/BE0403.170.701");
        Assert.Equal("BE0403170701", read.GetProperty("vatNumber").GetString());
        Assert.Contains(await Client.GetItemsAsync("/api/dossiers"), d => d.GetProperty("enterpriseNumber").GetString() == Dossier);

        var update = await Client.PutAsJsonAsync($"/api/dossiers/{Dossier}", new { name = "Bakkerij Janssens", timeZone = "Europe/Brussels" });
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("Bakkerij Janssens", (await Client.GetFromJsonAsync<JsonElement>($"/api/dossiers/{Dossier}")).GetProperty("name").GetString());

        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsJsonAsync("/api/dossiers", new { name = "x", enterpriseNumber = Dossier })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync($"/api/dossiers/{Dossier}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/api/dossiers/{Dossier}")).StatusCode);
    }

    [Fact]
    public async Task An_unknown_dossier_is_a_404_problem()
    {
        var response = await Client.GetAsync("/api/dossiers/0876543270");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Connection_credentials_are_accepted_but_never_returned()
    {
        await CreateDossierAsync();
        const string password = "Sftp-Pa55-never-shown";

        var created = await CreateSftpConnectionAsync(password);
        var createdBody = await created.Content.ReadAsStringAsync();
        var id = JsonDocument.Parse(createdBody).RootElement.GetProperty("id").GetString();
        var listed = await Client.GetStringAsync($"/api/dossiers/{Dossier}/connections");
        var single = await Client.GetStringAsync($"/api/dossiers/{Dossier}/connections/{id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.DoesNotContain(password, createdBody + listed + single, StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(single).RootElement.GetProperty("hasCredentials").GetBoolean());
    }

    [Fact]
    public async Task A_credential_sent_as_an_option_is_refused_naming_the_field()
    {
        await CreateDossierAsync();
        var response = await Client.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "sftp",
            documentKinds = new[] { "PurchaseInvoice" },
            options = new Dictionary<string, string> { ["host"] = "h", ["username"] = "u", ["password"] = "leak" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("options.password", body, StringComparison.Ordinal);
        Assert.DoesNotContain("leak", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_uploaded_invoice_is_archived_queued_and_served_back_as_uploaded()
    {
        await CreateDossierAsync();
        await CreateSftpConnectionAsync("pw");
        var sample = await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "demo-invoice.xml"));

        var upload = await Client.PostAsync($"/api/dossiers/{Dossier}/documents?fileName=demo-invoice.xml", new ByteArrayContent(sample));

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var answer = await upload.Content.ReadFromJsonAsync<JsonElement>();
        var documentId = answer.GetProperty("documentId").GetString();
        Assert.Equal(1, answer.GetProperty("deliveriesQueued").GetInt32());
        Assert.Equal($"/api/dossiers/{Dossier}/documents/{documentId}", upload.Headers.Location?.ToString());
        Assert.Equal(sample, await Client.GetByteArrayAsync($"/api/dossiers/{Dossier}/documents/{documentId}/content"));
        var history = await Client.GetItemsAsync($"/api/dossiers/{Dossier}/documents/{documentId}/history");
        Assert.Equal(["Received", "Queued"], history!.Select(h => h.GetProperty("event").GetString()));
        var deliveries = await Client.GetItemsAsync($"/api/dossiers/{Dossier}/deliveries?status=Pending");
        Assert.Single(deliveries!);
    }

    [Fact]
    public async Task A_bank_statement_paying_an_uploaded_invoice_shows_in_the_payments_of_the_dossier_and_of_the_invoice()
    {
        await CreateDossierAsync();
        var invoice = await Client.PostAsync($"/api/dossiers/{Dossier}/documents?fileName=demo-invoice.xml", new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "demo-invoice.xml"))));
        var documentId = (await invoice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetString();

        await Client.PostAsync($"/api/dossiers/{Dossier}/documents?fileName=demo.cod", new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "demo.cod"))));

        var payment = Assert.Single((await Client.GetItemsAsync($"/api/dossiers/{Dossier}/payments"))!);
        Assert.Equal(documentId, payment.GetProperty("documentId").GetString());
        Assert.Equal(246.47m, payment.GetProperty("amount").GetDecimal());
        Assert.Equal("bank", payment.GetProperty("source").GetString());
        Assert.Equal("Provisional", payment.GetProperty("status").GetString());
        Assert.Single((await Client.GetItemsAsync($"/api/dossiers/{Dossier}/documents/{documentId}/payments"))!);
        var history = await Client.GetItemsAsync($"/api/dossiers/{Dossier}/documents/{documentId}/history");
        Assert.Contains(history!, h => h.GetProperty("event").GetString() == "Payment");
    }

    [Fact]
    public async Task Poll_now_answers_202_with_the_polls_queued_and_a_second_ask_in_the_same_window_is_a_409_saying_when()
    {
        await CreateDossierAsync();

        var first = await Client.PostAsync($"/api/dossiers/{Dossier}/payments/poll", null);
        var second = await Client.PostAsync($"/api/dossiers/{Dossier}/payments/poll", null);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var body = await first.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal(0, body.GetProperty("pollsQueued").GetInt32()); // no connection of this dossier reads payments
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("ask again after", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_upload_is_answered_with_its_quarantine_reason_and_kept()
    {
        await CreateDossierAsync();

        var response = await Client.PostAsync($"/api/dossiers/{Dossier}/documents?fileName=broken.xml", new StringContent("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"><cbc:ID>"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("UNREADABLE", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("quarantine").GetProperty("code").GetString());
        Assert.Contains("broken.xml", await Client.GetStringAsync($"/api/dossiers/{Dossier}/quarantine"), StringComparison.Ordinal);
        Assert.Contains("broken.xml", await Client.GetStringAsync("/api/quarantine"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_without_a_file_name_is_refused_naming_the_parameter()
    {
        await CreateDossierAsync();

        var response = await Client.PostAsync($"/api/dossiers/{Dossier}/documents", new StringContent("x"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("fileName", out _));
    }

    [Theory]
    [InlineData("deliveries?status=Lost", "status")]
    [InlineData("documents?from=yesterday", "from")]
    [InlineData("runs?pageSize=many", "pageSize")]
    [InlineData("runs?pageSize=0", "pageSize")]
    [InlineData("deliveries?pageSize=1001", "pageSize")]
    [InlineData("documents?continuationToken=not-a-token", "continuationToken")]
    [InlineData("quarantine?continuationToken=CfDJ8garbage", "continuationToken")]
    public async Task A_query_value_that_does_not_parse_is_a_400_naming_the_parameter(string query, string parameter)
    {
        await CreateDossierAsync();

        var response = await Client.GetAsync($"/api/dossiers/{Dossier}/{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task A_list_is_read_page_by_page_with_the_continuation_token_it_answers()
    {
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var number = EnterpriseNumber(4031707 + i);
            created.Add(number);
            var response = await Client.PostAsJsonAsync("/api/dossiers", new { name = $"Dossier {i}", enterpriseNumber = number });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var pages = new List<JsonElement>();
        string? token = null;
        do
        {
            var page = await Client.GetFromJsonAsync<JsonElement>("/api/dossiers?pageSize=2" + (token is null ? "" : "&continuationToken=" + Uri.EscapeDataString(token)));
            pages.Add(page);
            token = page.GetProperty("continuationToken").GetString();
        }
        while (token is not null && pages.Count < 10);

        Assert.Equal([2, 2, 1], pages.Select(p => p.GetProperty("items").GetArrayLength()));
        var listed = pages.SelectMany(p => p.GetProperty("items").EnumerateArray()).Select(d => d.GetProperty("id").GetString()!).ToList();
        Assert.Equal(created.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));

        // A token belongs to the list it came from: used on another list it is a 400 naming it, not a page of that list.
        var first = await Client.GetFromJsonAsync<JsonElement>("/api/dossiers?pageSize=2");
        var elsewhere = await Client.GetAsync($"/api/dossiers/{created[0]}/runs?continuationToken={Uri.EscapeDataString(first.GetProperty("continuationToken").GetString()!)}");
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.True((await elsewhere.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("continuationToken", out _));
    }

    /// <summary>A valid Belgian enterprise number from its first eight digits (mod-97 check digits).</summary>
    private static string EnterpriseNumber(int firstEight) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{firstEight:D8}{97 - (firstEight % 97):D2}");

    [Fact]
    public async Task A_manual_export_answers_202_with_a_run_that_names_who_started_it()
    {
        await CreateDossierAsync();
        await CreateSftpConnectionAsync("pw");
        var upload = await Client.PostAsync($"/api/dossiers/{Dossier}/documents?fileName=demo.cod", new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "demo.cod"))));
        var documentId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetString();

        var export = await Client.PostAsJsonAsync($"/api/dossiers/{Dossier}/exports", new { documentIds = new[] { documentId }, resend = true });

        Assert.Equal(HttpStatusCode.Accepted, export.StatusCode);
        Assert.Equal("Queued", (await export.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var run = await Client.GetFromJsonAsync<JsonElement>(export.Headers.Location!.ToString());
        Assert.Equal(CallerName, run.GetProperty("startedBy").GetString());
        Assert.Contains(await Client.GetItemsAsync($"/api/dossiers/{Dossier}/runs"), r => r.GetProperty("runId").GetString() == run.GetProperty("runId").GetString());
    }

    [Fact]
    public async Task A_dead_letter_retried_leaves_the_dead_letters_and_one_discarded_is_closed_with_its_reason_in_the_history()
    {
        await CreateDossierAsync();
        await CreateSftpConnectionAsync("pw");
        var upload = await Client.PostAsync($"/api/dossiers/{Dossier}/documents?fileName=demo-invoice.xml", new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "demo-invoice.xml"))));
        var documentId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetString()!;
        var deliveryId = (await Client.GetItemsAsync($"/api/dossiers/{Dossier}/deliveries?status=Pending"))!.Single().GetProperty("deliveryId").GetString()!;
        await GiveUpAsync(deliveryId);
        Assert.Single((await Client.GetItemsAsync($"/api/dossiers/{Dossier}/deliveries?status=DeadLettered"))!);

        var retry = await Client.PostAsync($"/api/dossiers/{Dossier}/deliveries/{deliveryId}/retry", null);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var retried = await retry.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Pending", retried.GetProperty("status").GetString());
        Assert.Equal(0, retried.GetProperty("attempts").GetInt32());
        Assert.Empty((await Client.GetItemsAsync($"/api/dossiers/{Dossier}/deliveries?status=DeadLettered"))!);
        var again = await Client.PostAsync($"/api/dossiers/{Dossier}/deliveries/{deliveryId}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("only a dead-lettered or failed delivery", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);

        await GiveUpAsync(deliveryId);
        var discard = await Client.PostAsJsonAsync($"/api/dossiers/{Dossier}/deliveries/{deliveryId}/discard", new { reason = "Booked by hand in the accounting package." });

        Assert.Equal(HttpStatusCode.OK, discard.StatusCode);
        Assert.Equal("Discarded", (await discard.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Empty((await Client.GetItemsAsync($"/api/dossiers/{Dossier}/deliveries?status=DeadLettered"))!);
        Assert.Equal(HttpStatusCode.Conflict, (await Client.PostAsync($"/api/dossiers/{Dossier}/deliveries/{deliveryId}/retry", null)).StatusCode);
        var history = (await Client.GetItemsAsync($"/api/dossiers/{Dossier}/documents/{documentId}/history"))!;
        var retriedEvent = Assert.Single(history, h => h.GetProperty("event").GetString() == "Retried");
        Assert.Equal(CallerName, retriedEvent.GetProperty("actor").GetString());
        var discarded = Assert.Single(history, h => h.GetProperty("event").GetString() == "Discarded");
        Assert.Equal(CallerName, discarded.GetProperty("actor").GetString());
        Assert.Contains("Booked by hand in the accounting package.", discarded.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.PostAsync($"/api/dossiers/{Dossier}/deliveries/d000000000000000000000000000000/discard", null)).StatusCode);
    }

    /// <summary>What the delivery worker does after the last attempt (the front doors here run no workers).</summary>
    private async Task GiveUpAsync(string deliveryId)
    {
        var ledger = Services.GetRequiredService<Koppel.Core.Ports.IDeliveryLedger>();
        var entry = (await ledger.GetAsync(Dossier, deliveryId, CancellationToken.None))!;
        await ledger.ReplaceAsync(entry with { Status = Koppel.Core.Domain.DeliveryStatus.DeadLettered, Attempts = 8, LastError = "sftp.example.be did not answer" }, CancellationToken.None);
    }

    [Fact]
    public async Task The_catalogue_shows_what_each_connector_can_do()
    {
        var catalogue = await Client.GetFromJsonAsync<JsonElement[]>("/api/connectors");

        var providers = catalogue!.Select(c => c.GetProperty("provider").GetString()).ToList();
        Assert.Contains("local-folder", providers);
        Assert.Contains("sftp", providers);
        Assert.Contains("email", providers);
        var sftp = catalogue!.Single(c => c.GetProperty("provider").GetString() == "sftp");
        Assert.Contains(sftp.GetProperty("settings").EnumerateArray(), s => s.GetProperty("name").GetString() == "password" && s.GetProperty("secret").GetBoolean());
    }

    [Fact]
    public async Task Synced_relations_are_searched_by_each_key_and_the_lists_of_ledger_accounts_and_VAT_codes_are_served()
    {
        await CreateDossierAsync();
        var store = Services.GetRequiredService<IRelationStore>();
        var synced = new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
        await store.UpsertPartyAsync(Party.From(Dossier, "yuki-1", new PartyData { ProviderId = "c-1", Code = "C001", Name = "Bakkerij Janssens BV", Kind = PartyKind.Customer, VatNumber = "BE0477472701", Ibans = ["BE68539007547034"] }, synced), default);
        await store.UpsertPartyAsync(Party.From(Dossier, "yuki-1", new PartyData { ProviderId = "c-2", Code = "C002", Name = "Slagerij Peeters", Kind = PartyKind.Supplier, VatNumber = "BE0403170701" }, synced), default);
        await store.ReplaceLedgerAccountsAsync(Dossier, "yuki-1", [new LedgerAccount { Code = "700000", Name = "Omzet" }], default);
        await store.ReplaceVatCodesAsync(Dossier, "yuki-1", [new VatCode { Code = "V21", Rate = 21m, Description = "21 %" }], default);

        foreach (var query in new[] { "vat=be%200477.472.701", "enterprise=0477472701", "iban=BE68%205390%200754%207034", "name=bakkerij%20jans" })
        {
            var found = Assert.Single((await Client.GetItemsAsync($"/api/dossiers/{Dossier}/relations?{query}"))!);
            Assert.Equal("C001", found.GetProperty("code").GetString());
            Assert.Equal("Customer", found.GetProperty("kind").GetString());
        }

        Assert.Empty((await Client.GetItemsAsync($"/api/dossiers/{Dossier}/relations?vat=BE0999999999"))!);
        var first = await Client.GetFromJsonAsync<JsonElement>($"/api/dossiers/{Dossier}/relations?pageSize=1");
        var next = first.GetProperty("continuationToken").GetString();
        Assert.NotNull(next);
        var second = await Client.GetFromJsonAsync<JsonElement>($"/api/dossiers/{Dossier}/relations?pageSize=1&continuationToken={Uri.EscapeDataString(next)}");
        Assert.NotEqual(first.GetProperty("items")[0].GetProperty("code").GetString(), second.GetProperty("items")[0].GetProperty("code").GetString());
        Assert.Equal("700000", Assert.Single((await Client.GetItemsAsync($"/api/dossiers/{Dossier}/ledger-accounts"))!).GetProperty("code").GetString());
        Assert.Equal(21m, Assert.Single((await Client.GetItemsAsync($"/api/dossiers/{Dossier}/vat-codes?connectionId=yuki-1"))!).GetProperty("rate").GetDecimal());
    }

    [Fact]
    public async Task A_relation_sync_on_demand_is_queued_with_202_and_refused_for_a_connection_that_cannot_read_relations()
    {
        await CreateDossierAsync();
        var sftp = (await (await CreateSftpConnectionAsync("pw")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var yuki = await Client.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "yuki",
            documentKinds = new[] { "SalesInvoice" },
            options = new Dictionary<string, string> { ["administrationId"] = "8f1b5c2e-1d2a-4b7c-9e0f-0a1b2c3d4e5f", ["glAccountCode"] = "700000" },
            credentials = new Dictionary<string, string> { ["apiKey"] = "yuki-key-for-the-contract" },
        });
        Assert.Equal(HttpStatusCode.Created, yuki.StatusCode);
        var yukiId = (await yuki.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var refused = await Client.PostAsync($"/api/dossiers/{Dossier}/connections/{sftp}/relations/sync", null);
        var queued = await Client.PostAsync($"/api/dossiers/{Dossier}/connections/{yukiId}/relations/sync?full=true", null);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("connectionId", out _));
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        Assert.Equal($"/api/dossiers/{Dossier}/runs", queued.Headers.Location?.ToString());
        var body = await queued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("full").GetBoolean());
        Assert.Equal(CallerName, body.GetProperty("requestedBy").GetString());
        var storage = Services.GetRequiredService<KoppelStorageClients>();
        var message = (await storage.Queue(storage.Names.RelationSyncQueue).ReceiveMessageAsync()).Value;
        Assert.Equal(yukiId, RelationSyncJobJson.TryDeserialize(message.Body)!.ConnectionId);
    }

    protected async Task<HttpResponseMessage> CreateDossierAsync()
    {
        var response = await Client.PostAsJsonAsync("/api/dossiers", new { name = "Demo Bakkerij BV", enterpriseNumber = Dossier, contactEmail = "boekhouding@example.be" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response;
    }

    protected async Task<HttpResponseMessage> CreateSftpConnectionAsync(string password)
    {
        var response = await Client.PostAsJsonAsync($"/api/dossiers/{Dossier}/connections", new
        {
            provider = "sftp",
            documentKinds = new[] { "SalesInvoice", "PurchaseInvoice", "BankStatement" },
            options = new Dictionary<string, string> { ["host"] = "sftp.example.be", ["username"] = "bakkerij" },
            credentials = new Dictionary<string, string> { ["password"] = password },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response;
    }
}
