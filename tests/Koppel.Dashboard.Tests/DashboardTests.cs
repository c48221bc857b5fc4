using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Koppel.Dashboard.Tests.Support;
using Koppel.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Koppel.Dashboard.Tests;

/// <summary>
/// The operator dashboard in a real browser (Debian's Chromium) against a real server: what an operator sees and does,
/// step by step, with a screenshot of each step in TestResults/dashboard-screenshots.
/// </summary>
public sealed class DashboardTests(DashboardFixture koppel) : IClassFixture<DashboardFixture>
{
    private static async Task SignInAsync(IPage page, string key)
    {
        await page.GotoAsync("/dashboard/");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    [Fact]
    public async Task An_operator_sees_a_delivered_and_a_failed_document_resends_one_and_exports_a_date_range_after_a_dry_run()
    {
        var (context, page) = await koppel.OpenAsync();
        await using var session = context;

        await page.GotoAsync("/dashboard/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await DashboardFixture.ScreenshotAsync(page, "01-sign-in");
        await SignInAsync(page, koppel.Settings.AdminKey);

        // The dossiers, and the broken connection is not hidden: the home page lists connections that need attention.
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = DashboardFixture.DossierName })).ToBeVisibleAsync();
        await DashboardFixture.ScreenshotAsync(page, "02-dossiers");

        await page.GetByRole(AriaRole.Link, new() { Name = DashboardFixture.DossierName }).ClickAsync();
        var documents = page.GetByRole(AriaRole.Table, new() { Name = "Documents with their delivery state per connection" });
        var invoiceRow = documents.GetByRole(AriaRole.Row).Filter(new() { HasText = "demo-invoice.xml" });
        var creditNoteRow = documents.GetByRole(AriaRole.Row).Filter(new() { HasText = "demo-credit-note.xml" });
        await Expect(invoiceRow).ToContainTextAsync("Delivered");
        await Expect(creditNoteRow).ToContainTextAsync("Failed");
        await Expect(creditNoteRow).ToContainTextAsync("does not exist");
        await Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("^Documents per day to local-folder: 1 delivered, 1 failed") })).ToBeVisibleAsync();
        await DashboardFixture.ScreenshotAsync(page, "03-dossier");

        // Resend the delivered invoice: its history grows by a second delivery, shown without reloading the page.
        await invoiceRow.GetByRole(AriaRole.Link, new() { Name = "demo-invoice.xml" }).ClickAsync();
        var history = page.GetByRole(AriaRole.Table, new() { Name = "History" });
        await Expect(history.GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator(".state-Delivered") })).ToHaveCountAsync(1);
        await DashboardFixture.ScreenshotAsync(page, "04-document-before-resend");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resend" }).ClickAsync();
        await Expect(history.GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator(".state-Delivered") })).ToHaveCountAsync(2, new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Resent", new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Deliveries" }).GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator(".state-Delivered") })).ToHaveCountAsync(2);
        await DashboardFixture.ScreenshotAsync(page, "05-document-after-resend");

        // The share is back; a dry run of this week's documents says what an export would send, then the export runs.
        Directory.CreateDirectory(koppel.BrokenFolder);
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the dossier" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Export" }).ClickAsync();
        var today = DateTime.Now.Date;
        var from = today.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("Received from").FillAsync(from);
        await page.GetByLabel("Up to (not including)").FillAsync(today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var start = page.GetByRole(AriaRole.Button, new() { Name = "Export", Exact = true });
        await Expect(start).ToBeDisabledAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Dry run" }).ClickAsync();
        await Expect(page.GetByText("2 document(s) in the range: 1 would be sent, 1 skipped as delivered already.")).ToBeVisibleAsync();
        var previewLines = page.GetByRole(AriaRole.Table, new() { Name = "Documents" });
        await Expect(previewLines.GetByRole(AriaRole.Row).Filter(new() { HasText = "demo-credit-note.xml" })).ToContainTextAsync("Send");
        await Expect(previewLines.GetByRole(AriaRole.Row).Filter(new() { HasText = "demo-invoice.xml" })).ToContainTextAsync("Skip");
        await DashboardFixture.ScreenshotAsync(page, "06-export-dry-run");

        await start.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/dossiers/0403170701/export\\?run="));
        await Expect(page.Locator("#export-state")).ToContainTextAsync("Succeeded", new() { Timeout = 30_000 });
        await Expect(page.Locator("#export-state")).ToContainTextAsync("2 of 2 done: 1 delivered, 0 failed, 1 skipped");
        Assert.Equal(1, await page.Locator("#export-progress").EvaluateAsync<double>("p => p.value / p.max"));
        await DashboardFixture.ScreenshotAsync(page, "07-export-done");

        // The run id is in the address: leaving and coming back shows the same run.
        var runUrl = page.Url;
        await page.GetByRole(AriaRole.Link, new() { Name = "Run log" }).ClickAsync();
        await page.GetByLabel("Kind").SelectOptionAsync("Export");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var runs = page.GetByRole(AriaRole.Table, new() { Name = "Runs" });
        await Expect(runs.GetByRole(AriaRole.Row)).ToHaveCountAsync(3); // header, the resend, the export
        await DashboardFixture.ScreenshotAsync(page, "08-run-log-exports");
        await page.GotoAsync(runUrl);
        await Expect(page.Locator("#export-state")).ToContainTextAsync("Succeeded");
        await Expect(page.GetByLabel("Received from")).ToHaveValueAsync(from);

        // The document that failed is delivered now to the share that came back.
        await Eventually.HoldsAsync(() => Task.FromResult(Directory.EnumerateFiles(koppel.BrokenFolder, "*.xml", SearchOption.AllDirectories).Any()), TimeSpan.FromSeconds(10), "the credit note is in the share");
    }

    [Fact]
    public async Task A_refused_file_is_listed_with_its_reason_can_be_downloaded_and_is_refused_again_when_reingested_unfixed()
    {
        var bytes = "these are not invoice lines"u8.ToArray();
        using (var content = new ByteArrayContent(bytes))
        {
            using var refused = await koppel.Admin.PostAsync($"/api/dossiers/{DashboardFixture.Dossier}/documents?fileName=notes.txt", content);
            Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        }

        var (context, page) = await koppel.OpenAsync();
        await using var session = context;
        await SignInAsync(page, koppel.Settings.AdminKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Quarantine" }).ClickAsync();

        var row = page.GetByRole(AriaRole.Table, new() { Name = "Quarantined files" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "notes.txt" });
        await Expect(row).ToContainTextAsync(DashboardFixture.Dossier);
        await DashboardFixture.ScreenshotAsync(page, "10-quarantine");
        var download = await page.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Button, new() { Name = "Download" }).ClickAsync());
        Assert.EndsWith("notes.txt", download.SuggestedFilename, StringComparison.Ordinal);
        var saved = Path.Combine(koppel.Settings.WorkDirectory, "downloaded-notes.txt");
        await download.SaveAsAsync(saved);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(saved));

        await row.GetByRole(AriaRole.Button, new() { Name = "Re-ingest" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Refused:");

        // Its ingest run is in the run log, found by status and kind; a search for something else finds nothing.
        await page.GotoAsync($"/dashboard/#/dossiers/{DashboardFixture.Dossier}/runs?status=Failed&kind=Ingest");
        var runs = page.GetByRole(AriaRole.Table, new() { Name = "Runs" });
        await Expect(runs.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("Failed");
        await Expect(page.GetByLabel("Status")).ToHaveValueAsync("Failed");
        await DashboardFixture.ScreenshotAsync(page, "11-run-log-failed-ingests");
        await page.GetByLabel("Search").FillAsync("no-such-run-anywhere");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.GetByText("Runs: no run matches.")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_dead_lettered_delivery_shows_its_reason_and_retry_delivers_it_once_the_target_is_mended()
    {
        // Firma B's share has a file where its dossier folder should be: every attempt fails, until the attempt limit.
        var share = Directory.CreateDirectory(Path.Combine(koppel.Settings.WorkDirectory, "firma-b-share")).FullName;
        var blocker = Path.Combine(share, DashboardFixture.OtherDossier);
        await File.WriteAllTextAsync(blocker, "not a folder");
        using (var created = await koppel.Admin.PostAsJsonAsync($"/api/dossiers/{DashboardFixture.OtherDossier}/connections", new
        {
            provider = "local-folder",
            displayName = "Firma B share",
            documentKinds = new[] { "PurchaseInvoice", "SalesInvoice" },
            options = new Dictionary<string, string> { ["path"] = share },
        }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }

        // Two invoices (the second with its own number): one to retry, one booked by hand meanwhile.
        var invoice = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "samples", "demo-invoice.xml"));
        foreach (var (xml, name) in new[] { (invoice, "supplier-invoice.xml"), (invoice.Replace("KOP-2026-0042<", "KOP-2026-0043<", StringComparison.Ordinal), "booked-by-hand.xml") })
        {
            using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(xml));
            using var upload = await koppel.Admin.PostAsync($"/api/dossiers/{DashboardFixture.OtherDossier}/documents?fileName={name}", content);
            Assert.Equal(System.Net.HttpStatusCode.Created, upload.StatusCode);
        }

        await Eventually.HoldsAsync(
            async () => (await koppel.Admin.GetItemsAsync($"/api/dossiers/{DashboardFixture.OtherDossier}/deliveries?status=DeadLettered")).Length == 2,
            TimeSpan.FromSeconds(60),
            "both deliveries are dead-lettered after the attempt limit");

        var (context, page) = await koppel.OpenAsync();
        await using var session = context;
        await SignInAsync(page, koppel.Settings.AdminKey);

        // The connection is at the top of the home page, across dossiers, with what went wrong.
        var attention = page.GetByRole(AriaRole.Table, new() { Name = "Connections that need attention" });
        await Expect(attention.GetByRole(AriaRole.Row).Filter(new() { HasText = "Firma B share" })).ToContainTextAsync("Writing to the folder failed");
        await DashboardFixture.ScreenshotAsync(page, "12-attention");

        await page.GotoAsync($"/dashboard/#/dossiers/{DashboardFixture.OtherDossier}/dead-letters");
        var deadLetters = page.GetByRole(AriaRole.Table, new() { Name = "Dead-lettered deliveries" });
        var row = deadLetters.GetByRole(AriaRole.Row).Filter(new() { HasText = "supplier-invoice.xml" });
        await Expect(row).ToContainTextAsync("Firma B share");
        await Expect(row).ToContainTextAsync("Writing to the folder failed");
        await DashboardFixture.ScreenshotAsync(page, "13-dead-letters");

        // The credit note was booked by hand: discarded with that reason, it leaves the list and is never sent.
        var handBooked = deadLetters.GetByRole(AriaRole.Row).Filter(new() { HasText = "booked-by-hand.xml" });
        await handBooked.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();
        await handBooked.GetByRole(AriaRole.Textbox).FillAsync("Booked by hand in the accounting package");
        await DashboardFixture.ScreenshotAsync(page, "13b-dead-letter-discard-reason");
        await handBooked.GetByRole(AriaRole.Button, new() { Name = "Confirm discard" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(new Regex("^Discarded: .*booked-by-hand.xml will not be sent to Firma B share"));
        await Expect(deadLetters.GetByRole(AriaRole.Row)).ToHaveCountAsync(2);
        var discarded = Assert.Single(await koppel.Admin.GetItemsAsync($"/api/dossiers/{DashboardFixture.OtherDossier}/deliveries?status=Discarded"));
        var history = await koppel.Admin.GetItemsAsync($"/api/dossiers/{DashboardFixture.OtherDossier}/documents/{discarded.GetProperty("documentId").GetString()}/history");
        Assert.Contains(history, h => h.GetProperty("event").GetString() == "Discarded"
            && h.GetProperty("detail").GetString()!.Contains("Booked by hand in the accounting package", StringComparison.Ordinal));

        File.Delete(blocker);
        var documentPage = await row.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("supplier-invoice.xml$") }).GetAttributeAsync("href");
        await row.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Retry queued");
        await Eventually.HoldsAsync(
            () => Task.FromResult(Directory.Exists(blocker) && Directory.EnumerateFiles(blocker, "*.xml", SearchOption.AllDirectories).Any()),
            TimeSpan.FromSeconds(30),
            "the retried document is in Firma B's share");
        await Expect(deadLetters.GetByRole(AriaRole.Row)).ToHaveCountAsync(1); // the header: the last dead letter left the list
        await page.GotoAsync("/dashboard/" + documentPage);
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Deliveries" }).GetByRole(AriaRole.Row).Filter(new() { Has = page.Locator(".state-Delivered") })).ToHaveCountAsync(1);
        await DashboardFixture.ScreenshotAsync(page, "14-dead-letter-retried");
    }

    [Fact]
    public async Task The_payment_polls_of_a_dossier_are_charted_per_day_succeeded_against_failed()
    {
        const string firmaC = "0200065765";
        using (var created = await koppel.Admin.PostAsJsonAsync("/api/dossiers", new { name = "Firma C", enterpriseNumber = firmaC }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }

        // The run-log lines the payment poller writes: this morning's poll worked, this afternoon's did not.
        var runLog = koppel.Server.Services.GetRequiredService<Koppel.Core.Runs.RunLogWriter>();
        var today = DateTimeOffset.UtcNow;
        await runLog.RecordAsync(firmaC, Koppel.Core.Domain.RunCategory.PaymentPoll, Koppel.Core.Domain.RunStatus.Succeeded, "2 payments read.", 2, "yuki", startedAt: today.AddSeconds(-2));
        await runLog.RecordAsync(firmaC, Koppel.Core.Domain.RunCategory.PaymentPoll, Koppel.Core.Domain.RunStatus.Failed, "Yuki did not answer.", 0, "yuki", startedAt: today.AddSeconds(-1));
        var (context, page) = await koppel.OpenAsync();
        await using var session = context;
        await SignInAsync(page, koppel.Settings.AdminKey);

        await page.GotoAsync($"/dashboard/#/dossiers/{firmaC}");

        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Payment polls per day: 1 succeeded, 1 failed in the last 14 days" })).ToBeVisibleAsync();
        await page.GetByText("Payment polls per day as numbers").ClickAsync();
        var numbers = page.GetByRole(AriaRole.Table, new() { Name = "Payment polls per day" });
        var day = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(numbers.GetByRole(AriaRole.Row).Filter(new() { HasText = day }).GetByRole(AriaRole.Cell)).ToHaveTextAsync([day, "1", "1"]);
        await DashboardFixture.ScreenshotAsync(page, "16-payment-polls");
    }

    [Fact]
    public async Task An_accounting_firm_adds_its_clients_from_yuki_and_follows_their_first_import_which_it_can_leave_and_find_again()
    {
        // The firm's own dossier has a Yuki connection with the firm's domain key, which reaches two clients' administrations.
        const string firm = "0450000024", frituur = "0460000031", bakkerij = "0470000038";
        const string domainKey = "F1RM-D0MA1N-KEY-never-shown";
        Guid firmAdministration = Guid.NewGuid(), frituurAdministration = Guid.NewGuid(), bakkerijAdministration = Guid.NewGuid();
        koppel.Yuki.AddDomainKey(domainKey, "firm-domain", (firmAdministration, "Boekhoudkantoor Claes"), (frituurAdministration, "Frituur Janssens"), (bakkerijAdministration, "Bakkerij Peeters"));
        koppel.Yuki.SetAdministrationDetails(frituurAdministration, frituur, "BE" + frituur, "info@frituur-janssens.be");
        koppel.Yuki.AddContact("firm-domain", "C001", "Slagerij Vermeulen", vatNumber: "BE0403170701");
        using (var created = await koppel.Admin.PostAsJsonAsync("/api/dossiers", new { name = "Boekhoudkantoor Claes", enterpriseNumber = firm }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }

        using (var created = await koppel.Admin.PostAsJsonAsync($"/api/dossiers/{firm}/connections", new
        {
            provider = "yuki",
            displayName = "Yuki (firm domain)",
            documentKinds = new[] { "SalesInvoice" },
            options = new Dictionary<string, string> { ["administrationId"] = firmAdministration.ToString(), ["glAccountCode"] = "700000" },
            credentials = new Dictionary<string, string> { ["apiKey"] = domainKey },
        }))
        {
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        }

        var (context, page) = await koppel.OpenAsync();
        await using var session = context;
        await SignInAsync(page, koppel.Settings.AdminKey);
        await page.GotoAsync($"/dashboard/#/dossiers/{firm}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Add dossiers from Yuki (firm domain)" }).ClickAsync();

        // The clients are listed; Yuki does not know the bakery's enterprise number, so it is typed in.
        var administrations = page.GetByRole(AriaRole.Table, new() { Name = "Administrations" });
        await Expect(administrations.GetByRole(AriaRole.Row).Filter(new() { HasText = "Frituur Janssens" })).ToContainTextAsync("new dossier");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Import Frituur Janssens" }).CheckAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Import Bakkerij Peeters" }).CheckAsync();
        await page.GetByLabel("Enterprise number of Bakkerij Peeters").FillAsync("0470.000.038");
        await DashboardFixture.ScreenshotAsync(page, "17-add-dossiers-from-yuki");
        await page.GetByRole(AriaRole.Button, new() { Name = "Import chosen" }).ClickAsync();

        var results = page.GetByRole(AriaRole.Table, new() { Name = "Import results" });
        await Expect(results.GetByRole(AriaRole.Row).Filter(new() { HasText = "Frituur Janssens" })).ToContainTextAsync("Created");
        await Expect(results.GetByRole(AriaRole.Row).Filter(new() { HasText = "Bakkerij Peeters" })).ToContainTextAsync("Created");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Import done: 2 of 2 dossier(s) have their customers and suppliers", new() { Timeout = 60_000 });
        await Expect(page.Locator("#import-progress")).ToHaveAttributeAsync("value", "2");
        await DashboardFixture.ScreenshotAsync(page, "18-add-dossiers-imported");

        // Left and come back to (the address holds the import): the same progress, from the run log.
        Assert.Contains("imported=", page.Url, StringComparison.Ordinal);
        var address = page.Url;
        await page.GotoAsync($"/dashboard/#/dossiers/{firm}");
        await page.GotoAsync(address);
        var perDossier = page.GetByRole(AriaRole.Table, new() { Name = "Customers and suppliers per new dossier" });
        await Expect(perDossier.GetByRole(AriaRole.Row).Filter(new() { HasText = frituur })).ToContainTextAsync("Succeeded");
        await Expect(perDossier.GetByRole(AriaRole.Row).Filter(new() { HasText = bakkerij })).ToContainTextAsync("Succeeded");
        Assert.DoesNotContain(domainKey, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Empty(await Axe.ViolationsAsync(page));
        Assert.Equal("Frituur Janssens", (await koppel.Admin.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/dossiers/{frituur}")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Every_page_passes_axes_WCAG_2_1_A_and_AA_rules()
    {
        var (context, page) = await koppel.OpenAsync();
        await using var session = context;
        var found = new List<string>();
        async Task CheckAsync(string name, ILocator ready)
        {
            await Expect(ready).ToBeVisibleAsync();
            found.AddRange((await Axe.ViolationsAsync(page)).Select(v => $"{name}: {v}"));
        }

        await page.GotoAsync("/dashboard/");
        await CheckAsync("sign in", page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" }));
        await SignInAsync(page, koppel.Settings.AdminKey);
        await CheckAsync("dossiers", page.GetByRole(AriaRole.Link, new() { Name = DashboardFixture.DossierName }));
        var d = DashboardFixture.Dossier;
        await page.GotoAsync($"/dashboard/#/dossiers/{d}");
        await CheckAsync("dossier", page.GetByRole(AriaRole.Table, new() { Name = "Documents with their delivery state per connection" }));
        await page.GotoAsync($"/dashboard/#/dossiers/{d}/documents/{koppel.CreditNoteId}");
        await CheckAsync("document", page.GetByRole(AriaRole.Table, new() { Name = "History" }));
        await page.GotoAsync($"/dashboard/#/dossiers/{d}/runs");
        await CheckAsync("run log", page.GetByRole(AriaRole.Table, new() { Name = "Runs" }));
        await page.GotoAsync($"/dashboard/#/dossiers/{d}/dead-letters");
        await CheckAsync("dead letters", page.GetByRole(AriaRole.Heading, new() { Name = "Dead-lettered deliveries" }));
        await page.GotoAsync("/dashboard/#/quarantine");
        await CheckAsync("quarantine", page.GetByRole(AriaRole.Heading, new() { Name = "Quarantine" }));
        await page.GotoAsync($"/dashboard/#/dossiers/{d}/export");
        await CheckAsync("export", page.GetByRole(AriaRole.Button, new() { Name = "Dry run" }));

        Assert.True(found.Count == 0, "axe found:\n" + string.Join("\n", found));

        // The checker is live: an image without a text alternative, planted in the page, is reported.
        await page.EvaluateAsync("document.getElementById('main').append(Object.assign(document.createElement('img'), { src: 'data:image/gif;base64,R0lGODlhAQABAAAAACw=' }))");
        Assert.Contains(await Axe.ViolationsAsync(page), v => v.StartsWith("image-alt ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bearer_token_of_the_platforms_identity_provider_signs_in_and_sees_only_the_dossiers_it_names()
    {
        var (context, page) = await koppel.OpenAsync();
        await using var session = context;
        var token = koppel.Token(DashboardFixture.OtherDossier);

        // A token signed by another key is refused, in words, and nothing is shown.
        using (var stranger = System.Security.Cryptography.RSA.Create(2048))
        {
            await page.GotoAsync("/dashboard/");
            await page.GetByRole(AriaRole.Radio, new() { Name = "a token from your identity provider" }).CheckAsync();
            await page.Locator("#api-key").FillAsync(koppel.Token("*", stranger));
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That token was not accepted.");
        }

        await page.GetByRole(AriaRole.Radio, new() { Name = "a token from your identity provider" }).CheckAsync();
        await page.Locator("#api-key").FillAsync(token);
        await Expect(page.GetByLabel("Bearer token")).ToHaveIdAsync("api-key");
        await DashboardFixture.ScreenshotAsync(page, "15-sign-in-with-a-bearer-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("dossier(s)");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Firma B");
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync(DashboardFixture.DossierName);
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(token, page.Url, StringComparison.Ordinal);
        await page.GotoAsync($"/dashboard/#/dossiers/{DashboardFixture.Dossier}");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("may not see this");
    }

    [Fact]
    public async Task A_key_for_another_dossier_does_not_see_this_dossier()
    {
        var (context, page) = await koppel.OpenAsync();
        await using var session = context;

        await SignInAsync(page, koppel.Settings.OtherFirmKey);

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("dossier(s)");
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync(DashboardFixture.DossierName);
        await page.GotoAsync($"/dashboard/#/dossiers/{DashboardFixture.Dossier}");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("may not see");
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("demo-invoice.xml");
        await DashboardFixture.ScreenshotAsync(page, "09-other-firm-refused");
    }

    [Fact]
    public async Task The_key_never_appears_in_the_page_its_address_or_a_cookie_and_the_page_forbids_inline_script()
    {
        var (context, page) = await koppel.OpenAsync();
        await using var session = context;
        var requests = new List<string>();
        page.Request += (sender, request) => requests.Add(request.Url);

        var response = await page.GotoAsync("/dashboard/");
        await SignInAsync(page, koppel.Settings.AdminKey);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = DashboardFixture.DossierName })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = DashboardFixture.DossierName }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Connections" })).ToBeVisibleAsync();
        await page.GotoAsync($"/dashboard/#/dossiers/{DashboardFixture.Dossier}/documents/{koppel.InvoiceId}");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "History" })).ToBeVisibleAsync();

        var key = koppel.Settings.AdminKey;
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(key, page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(requests, url => url.Contains(key, StringComparison.Ordinal));
        Assert.DoesNotContain(await context.CookiesAsync(), cookie => cookie.Value.Contains(key, StringComparison.Ordinal));
        Assert.Contains("script-src 'self'", response!.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", response.Headers["content-security-policy"], StringComparison.Ordinal);

        // Signing out forgets the key: the next visit asks for it again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('koppel.apiKey')"));
    }
}
