using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Koppel.Cli.Tests.Support;
using Koppel.Server.Tests.Support;

namespace Koppel.Cli.Tests;

/// <summary>The koppel command line against a real server on Azurite, as a bookkeeper or a script would use it.</summary>
public sealed class ServerCommandTests(CliServerFixture server) : IClassFixture<CliServerFixture>
{
    private const string Dossier = CliServerFixture.Dossier;

    [Fact]
    public async Task Dossiers_are_listed_as_an_aligned_table_and_as_the_APIs_json()
    {
        var table = await KoppelCli.RunAsync(server.Environment, "dossiers");
        var json = await KoppelCli.RunAsync(server.Environment, "dossiers", "--json");

        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = table.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("DOSSIER ", lines[0], StringComparison.Ordinal);
        var row = Assert.Single(lines, l => l.StartsWith(Dossier, StringComparison.Ordinal));
        Assert.Equal(lines[0].IndexOf("NAME", StringComparison.Ordinal), row.IndexOf(CliServerFixture.DossierName, StringComparison.Ordinal));
        Assert.True(json.ExitCode == 0, json.ToString());
        var dossier = Assert.Single(json.Json.EnumerateArray(), d => d.GetProperty("id").GetString() == Dossier);
        Assert.Equal(CliServerFixture.DossierName, dossier.GetProperty("name").GetString());
    }

    [Fact]
    public async Task An_uploaded_invoice_is_listed_in_documents_and_its_history_shows_the_delivery()
    {
        var documentId = await server.InvoiceIdAsync();

        var documents = await KoppelCli.RunAsync(server.Environment, "documents", Dossier);
        var history = await KoppelCli.RunAsync(server.Environment, "history", Dossier, documentId);

        Assert.True(documents.ExitCode == 0, documents.ToString());
        Assert.Contains(documents.Output.Split('\n'), l => l.StartsWith(documentId, StringComparison.Ordinal) && l.Contains("demo-invoice.xml", StringComparison.Ordinal));
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains(history.Output.Split('\n'), l => l.Contains("Received", StringComparison.Ordinal));
        Assert.Contains(history.Output.Split('\n'), l => l.Contains("Delivered", StringComparison.Ordinal) && l.Contains("local-folder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uploading_the_same_file_again_says_it_was_received_before()
    {
        var documentId = await server.InvoiceIdAsync();

        var again = await KoppelCli.RunAsync(server.Environment, "upload", Dossier, CliServerFixture.Sample("demo-invoice.xml"));

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains($"received before, as document {documentId}", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resent_invoice_is_delivered_again_and_its_history_says_so()
    {
        var documentId = await server.InvoiceIdAsync();

        var resend = await KoppelCli.RunAsync(server.Environment, "resend", Dossier, documentId);

        Assert.True(resend.ExitCode == 0, resend.ToString());
        Assert.Contains($"Resend of {documentId} queued as run", resend.Output, StringComparison.Ordinal);
        await Eventually.HoldsAsync(async () => (await server.EventsAsync(documentId)).Contains("Resent"), TimeSpan.FromSeconds(30), "the history shows the resend");
    }

    [Fact]
    public async Task An_export_dry_run_tells_what_would_be_sent_and_sends_nothing()
    {
        var documentId = await server.InvoiceIdAsync();
        var (from, to) = Today();
        var exportsBefore = await ExportRunsAsync();

        var skipped = await KoppelCli.RunAsync(server.Environment, "export", Dossier, "--from", from, "--to", to, "--dry-run");
        var resend = await KoppelCli.RunAsync(server.Environment, "export", Dossier, "--from", from, "--to", to, "--dry-run", "--resend", "--json");

        Assert.True(skipped.ExitCode == 0, skipped.ToString());
        Assert.Contains("Dry run, nothing sent: 0 deliveries would be sent, 1 skipped as delivered already", skipped.Output, StringComparison.Ordinal);
        Assert.Contains(skipped.Output.Split('\n'), l => l.StartsWith(documentId, StringComparison.Ordinal) && l.Contains("demo-invoice.xml", StringComparison.Ordinal));
        Assert.True(resend.ExitCode == 0, resend.ToString());
        Assert.Equal(1, resend.Json.GetProperty("wouldSend").GetInt32());
        Assert.Equal(documentId, Assert.Single(resend.Json.GetProperty("items").EnumerateArray()).GetProperty("documentId").GetString());
        Assert.Equal(exportsBefore, await ExportRunsAsync());
    }

    [Fact]
    public async Task An_export_waits_for_its_run_shows_progress_and_exits_0_when_it_succeeded()
    {
        await server.InvoiceIdAsync();
        var (from, to) = Today();

        var export = await KoppelCli.RunAsync(server.Environment, "export", Dossier, "--from", from, "--to", to, "--resend");

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.Matches(@"Export run \S+ ended Succeeded: 1 sent, 0 failed", export.Output);
        Assert.Contains("Succeeded", export.Error.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
        var runs = await KoppelCli.RunAsync(server.Environment, "runs", Dossier, "--kind", "Export", "--status", "Succeeded");
        Assert.Contains(runs.Output.Split('\n'), l => l.Contains("Export", StringComparison.Ordinal) && l.Contains("Succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_a_terminal_an_export_draws_one_progress_bar_redrawn_in_place_that_ends_full()
    {
        await server.InvoiceIdAsync();
        var (from, to) = Today();

        var export = await KoppelCli.RunInTerminalAsync(server.Environment, "export", Dossier, "--from", from, "--to", to, "--resend");

        Assert.True(export.ExitCode == 0, export.ToString());
        Assert.StartsWith("\r", export.Error, StringComparison.Ordinal);
        Assert.Single(export.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)); // one line, redrawn with \r
        var last = export.Error.TrimEnd('\n').Split('\r')[^1];
        Assert.StartsWith("[####################] 100 %", last, StringComparison.Ordinal);
        Assert.Contains("Succeeded, 1/1 documents done", last, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_exits_4_and_never_prints_the_key()
    {
        const string wrongKey = "adm-not-the-key-0123456789abcdef";

        var run = await KoppelCli.RunAsync(server.Environment, "dossiers", "--key", wrongKey);

        Assert.Equal(4, run.ExitCode);
        Assert.Contains("refused the API key", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, run.Output + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Settings.AdminKey, run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_exits_3_and_names_the_address()
    {
        var address = $"http://127.0.0.1:{ClosedPort()}/";

        var run = await KoppelCli.RunAsync(server.Environment, "dossiers", "--server", address);

        Assert.Equal(3, run.ExitCode);
        Assert.Contains($"Cannot reach the Koppel server at {address}", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Settings.AdminKey, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dossier_that_does_not_exist_exits_5()
    {
        var run = await KoppelCli.RunAsync(server.Environment, "connections", "0999999990");

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("Not found", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task A_request_the_server_rejects_exits_6_with_the_problem_it_described()
    {
        var run = await KoppelCli.RunAsync(server.Environment, "documents", Dossier, "--from", "last tuesday");

        Assert.Equal(6, run.ExitCode);
        Assert.Contains("'last tuesday' is not a date and time", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connections_show_the_outbox_and_its_provider()
    {
        var run = await KoppelCli.RunAsync(server.Environment, "connections", Dossier);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.Output.Split('\n'), l => l.Contains("Outbox", StringComparison.Ordinal) && l.Contains("local-folder", StringComparison.Ordinal) && l.Contains("SalesInvoice", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_and_key_are_read_from_the_environment_when_no_option_gives_them()
    {
        var run = await KoppelCli.RunAsync(server.Environment, "dossiers", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.Json.EnumerateArray(), d => d.GetProperty("id").GetString() == Dossier);
    }

    [Fact]
    public async Task Server_and_key_are_read_from_the_config_file_named_by_KOPPEL_CONFIG()
    {
        var config = Path.Combine(server.WorkDirectory, "cli-config.json");
        await File.WriteAllTextAsync(config, $$"""{"server": "{{server.Server.BaseAddress}}", "apiKey": "{{server.Settings.AdminKey}}"}""");

        var run = await KoppelCli.RunAsync(new Dictionary<string, string> { ["KOPPEL_CONFIG"] = config }, "dossiers");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith(Dossier, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_and_key_are_read_from_the_users_config_file_in_their_home()
    {
        var home = Directory.CreateTempSubdirectory("koppel-cli-home-").FullName;
        Directory.CreateDirectory(Path.Combine(home, ".config", "koppel"));
        await File.WriteAllTextAsync(Path.Combine(home, ".config", "koppel", "config.json"), $$"""{"server": "{{server.Server.BaseAddress}}", "apiKey": "{{server.Settings.AdminKey}}"}""");

        var run = await KoppelCli.RunAsync(new Dictionary<string, string> { ["HOME"] = home }, "dossiers");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.Output.Split('\n'), l => l.StartsWith(Dossier, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_server_anywhere_the_command_is_a_usage_error_saying_where_to_give_one()
    {
        var run = await KoppelCli.RunAsync(new Dictionary<string, string> { ["HOME"] = server.WorkDirectory }, "dossiers");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No server given: use --server, KOPPEL_SERVER", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_the_server_refuses_exits_6_and_is_listed_in_the_quarantine_with_its_reason()
    {
        var file = Path.Combine(server.WorkDirectory, "not-an-invoice.xml");
        await File.WriteAllTextAsync(file, "<Invoice>this is not UBL</Invoice>");

        var upload = await KoppelCli.RunAsync(server.Environment, "upload", Dossier, file);
        var quarantine = await KoppelCli.RunAsync(server.Environment, "quarantine", "--dossier", Dossier);

        Assert.Equal(6, upload.ExitCode);
        Assert.Contains("refused not-an-invoice.xml and quarantined it", upload.Error, StringComparison.Ordinal);
        Assert.True(quarantine.ExitCode == 0, quarantine.ToString());
        Assert.Contains(quarantine.Output.Split('\n'), l => l.Contains(Dossier, StringComparison.Ordinal) && l.Contains("not-an-invoice.xml", StringComparison.Ordinal));

        // Unfixed, a re-ingest is refused again for the same reason, and the file stays in the quarantine.
        var path = (await KoppelCli.RunAsync(server.Environment, "quarantine", "--dossier", Dossier, "--json")).Json.EnumerateArray()
            .Select(q => q.GetProperty("path").GetString()!).First(p => p.EndsWith("not-an-invoice.xml", StringComparison.Ordinal));
        var reingest = await KoppelCli.RunAsync(server.Environment, "quarantine", "reingest", path);
        Assert.Equal(6, reingest.ExitCode);
        Assert.Contains("koppel quarantine reingest: the server refused", reingest.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_that_gives_up_is_listed_in_dead_letters_and_an_export_that_fails_exits_7()
    {
        // Firma B's share has a file where its dossier folder should be: every attempt fails, until the attempt limit.
        const string firmaB = "0876543270";
        var share = Directory.CreateDirectory(Path.Combine(server.WorkDirectory, "firma-b-share")).FullName;
        await File.WriteAllTextAsync(Path.Combine(share, firmaB), "not a folder");
        using (var admin = server.Server.Client(server.Settings.AdminKey))
        {
            using var dossier = await admin.PostAsJsonAsync("/api/dossiers", new { name = "Firma B", enterpriseNumber = firmaB, contactEmail = "info@example.be" });
            Assert.Equal(HttpStatusCode.Created, dossier.StatusCode);
            using var connection = await admin.PostAsJsonAsync($"/api/dossiers/{firmaB}/connections", new
            {
                provider = "local-folder",
                displayName = "Firma B share",
                documentKinds = new[] { "PurchaseInvoice", "SalesInvoice" },
                options = new Dictionary<string, string> { ["path"] = share },
            });
            Assert.Equal(HttpStatusCode.Created, connection.StatusCode);
        }

        var upload = await KoppelCli.RunAsync(server.Environment, "upload", firmaB, CliServerFixture.Sample("demo-invoice.xml"), "--json");
        Assert.True(upload.ExitCode == 0, upload.ToString());
        var documentId = upload.Json.GetProperty("documentId").GetString()!;
        await Eventually.HoldsAsync(
            async () => (await KoppelCli.RunAsync(server.Environment, "dead-letters", firmaB, "--json")).Json.GetArrayLength() == 1,
            TimeSpan.FromSeconds(60),
            "the delivery is dead-lettered after the attempt limit");

        var deadLetters = await KoppelCli.RunAsync(server.Environment, "dead-letters", firmaB);
        var (from, to) = Today();
        var export = await KoppelCli.RunAsync(server.Environment, "export", firmaB, "--from", from, "--to", to, "--resend");

        Assert.Contains(deadLetters.Output.Split('\n'), l => l.StartsWith(documentId, StringComparison.Ordinal) && l.Contains("local-folder", StringComparison.Ordinal));
        Assert.True(export.ExitCode == 7, export.ToString());
        Assert.Matches(@"Export run \S+ ended Failed", export.Output);

        // Booked by hand after all: discarded with that reason, it leaves the dead letters; a retry is refused from then on.
        var deliveryId = (await KoppelCli.RunAsync(server.Environment, "dead-letters", firmaB, "--json")).Json.EnumerateArray()
            .First(d => d.GetProperty("documentId").GetString() == documentId).GetProperty("deliveryId").GetString()!;
        var discard = await KoppelCli.RunAsync(server.Environment, "dead-letters", "discard", firmaB, deliveryId, "--reason", "Booked by hand");
        var retry = await KoppelCli.RunAsync(server.Environment, "dead-letters", "retry", firmaB, deliveryId);
        var history = await KoppelCli.RunAsync(server.Environment, "history", firmaB, documentId);

        Assert.True(discard.ExitCode == 0, discard.ToString());
        Assert.Contains($"Delivery {deliveryId} of document {documentId} is discarded", discard.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(deliveryId, (await KoppelCli.RunAsync(server.Environment, "dead-letters", firmaB)).Output, StringComparison.Ordinal);
        Assert.Equal(6, retry.ExitCode);
        Assert.Contains("only a dead-lettered or failed delivery can be retried", retry.Error, StringComparison.Ordinal);
        Assert.Contains(history.Output.Split('\n'), l => l.Contains("Discarded", StringComparison.Ordinal) && l.Contains("Booked by hand", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_connection_added_at_the_terminal_asks_each_setting_types_the_password_blind_and_never_prints_it()
    {
        const string password = "Pa55-never-printed";
        var person = new ScriptedPrompter(new Dictionary<string, string> { ["host"] = "sftp.example.be", ["username"] = "bakkerij", ["password"] = password });

        await EnsureSetupDossierAsync();

        var add = await KoppelCli.RunAsync(server.Environment, person, "connections", "add", SetupDossier, "sftp", "--name", "Accountant's SFTP", "--kinds", "PurchaseInvoice", "--no-test");
        var listed = await KoppelCli.RunAsync(server.Environment, "connections", SetupDossier, "--json");

        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Contains("(sftp) added to dossier " + SetupDossier, add.Output, StringComparison.Ordinal);
        Assert.Equal(["host", "port", "username", "password", "privateKey", "privateKeyPassphrase", "uploadPath", "hostKeySha256"], person.Asked.Select(a => a.Question[..a.Question.IndexOf(' ', StringComparison.Ordinal)]));
        Assert.All(person.Asked, a => Assert.Equal(a.Question.StartsWith("password", StringComparison.Ordinal) || a.Question.StartsWith("private", StringComparison.Ordinal), a.Secret));
        var connection = Assert.Single(listed.Json.EnumerateArray(), c => c.GetProperty("displayName").GetString() == "Accountant's SFTP");
        Assert.True(connection.GetProperty("hasCredentials").GetBoolean());
        Assert.Equal("bakkerij", connection.GetProperty("options").GetProperty("username").GetString());
        Assert.False(connection.GetProperty("options").TryGetProperty("password", out _));
        Assert.DoesNotContain(password, add.Output + add.Error + listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_that_leaves_out_a_required_setting_is_told_which_and_nothing_is_saved()
    {
        var before = (await KoppelCli.RunAsync(server.Environment, "connections", Dossier, "--json")).Json.GetArrayLength();

        var add = await KoppelCli.RunAsync(server.Environment, "connections", "add", Dossier, "sftp", "--set", "host=sftp.example.be", "--no-test");
        var typo = await KoppelCli.RunAsync(server.Environment, "connections", "add", Dossier, "sftp", "--set", "hots=sftp.example.be", "--no-test");
        var provider = await KoppelCli.RunAsync(server.Environment, "connections", "add", Dossier, "ftp");

        Assert.Equal(2, add.ExitCode);
        Assert.Contains("sftp needs username: give it with --set name=value", add.Error, StringComparison.Ordinal);
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("sftp has no setting 'hots'", typo.Error, StringComparison.Ordinal);
        Assert.Equal(2, provider.ExitCode);
        Assert.Contains("no provider 'ftp'; it has ", provider.Error, StringComparison.Ordinal);
        Assert.Equal(before, (await KoppelCli.RunAsync(server.Environment, "connections", Dossier, "--json")).Json.GetArrayLength());
    }

    [Fact]
    public async Task A_connection_test_says_whether_koppel_reaches_the_target_and_exits_6_when_it_does_not()
    {
        var connections = (await KoppelCli.RunAsync(server.Environment, "connections", Dossier, "--json")).Json;
        var outbox = connections.EnumerateArray().First(c => c.GetProperty("displayName").GetString() == "Outbox").GetProperty("id").GetString()!;
        var secret = "env-Pa55word";
        await EnsureSetupDossierAsync();
        var unreachable = await KoppelCli.RunAsync(
            new Dictionary<string, string>(server.Environment) { ["SFTP_PASSWORD"] = secret },
            "connections", "add", SetupDossier, "sftp", "--name", "Nowhere", "--set", "host=127.0.0.1", "--set", "port=1", "--set", "username=x", "--secret-from-env", "password=SFTP_PASSWORD", "--no-test", "--json");
        Assert.True(unreachable.ExitCode == 0, unreachable.ToString());

        var works = await KoppelCli.RunAsync(server.Environment, "connections", "test", Dossier, outbox);
        var fails = await KoppelCli.RunAsync(server.Environment, "connections", "test", SetupDossier, unreachable.Json.GetProperty("id").GetString()!);

        Assert.True(works.ExitCode == 0, works.ToString());
        Assert.StartsWith("Works: ", works.Output, StringComparison.Ordinal);
        Assert.True(fails.ExitCode == 6, fails.ToString());
        Assert.StartsWith("Does not work: ", fails.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, unreachable.Output + fails.Output + fails.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dossier_is_created_from_the_command_line_and_a_wrong_enterprise_number_is_refused_naming_the_rule()
    {
        var created = await KoppelCli.RunAsync(server.Environment, "dossiers", "create", "--name", "Firma C", "--enterprise-number", "0200.065.765", "--email", "info@firma-c.be");
        var wrong = await KoppelCli.RunAsync(server.Environment, "dossiers", "create", "--name", "Firma D", "--enterprise-number", "0200.065.766");
        var dossiers = await KoppelCli.RunAsync(server.Environment, "dossiers");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("Dossier 0200065765 (Firma C) created.", created.Output, StringComparison.Ordinal);
        Assert.Contains(dossiers.Output.Split('\n'), l => l.StartsWith("0200065765", StringComparison.Ordinal));
        Assert.Equal(6, wrong.ExitCode);
        Assert.Contains("mod-97", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_providers_are_listed_with_their_settings_required_and_secret_ones_marked()
    {
        var providers = await KoppelCli.RunAsync(server.Environment, "providers");

        Assert.True(providers.ExitCode == 0, providers.ToString());
        var sftp = Assert.Single(providers.Output.Split('\n'), l => l.StartsWith("sftp ", StringComparison.Ordinal));
        Assert.Contains("host*, port, username*, password (secret)", sftp, StringComparison.Ordinal);
    }

    /// <summary>
    /// The dossier the connection tests add to, apart from <see cref="Dossier"/>: a connection added there would receive
    /// the other tests' exports (the tests share one server) and change what they count.
    /// </summary>
    private const string SetupDossier = "0460000031";

    private async Task EnsureSetupDossierAsync()
    {
        using var admin = server.Server.Client(server.Settings.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/dossiers", new { name = "Firma Setup", enterpriseNumber = SetupDossier });
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, created.StatusCode.ToString());
    }

    private async Task<int> ExportRunsAsync()
    {
        var runs = await KoppelCli.RunAsync(server.Environment, "runs", Dossier, "--kind", "Export", "--json");
        Assert.True(runs.ExitCode == 0, runs.ToString());
        return runs.Json.GetArrayLength();
    }

    private static (string From, string To) Today() =>
        (DateTimeOffset.UtcNow.AddDays(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture),
         DateTimeOffset.UtcNow.AddDays(1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
