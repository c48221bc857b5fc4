using System.Text;
using Azure.Data.Tables;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Connectors.Tests.Support;
using Koppel.Server.Tests.Support;

namespace Koppel.Server.Tests.EndToEnd;

/// <summary>The server process started as a user would, files dropped into Azurite, deliveries checked at the real SFTP and SMTP servers.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class DropToDeliveryTests(AzuriteFixture azurite, ChannelServersFixture channels)
{
    [Fact]
    public async Task Dropped_files_are_delivered_once_each_bad_ones_quarantined_and_no_secret_is_stored_or_logged()
    {
        var settings = new ServerSettings(azurite.ConnectionString, Path.Combine(Path.GetTempPath(), "koppel-e2e-" + Guid.NewGuid().ToString("N")[..8]));
        var scenario = new KoppelScenario(settings, channels, azurite.ConnectionString);
        await using var server = await ServerProcess.StartAsync(settings, TestServices.FreeClosedPort());
        using var api = server.Client(settings.AdminKey);
        await scenario.ConnectAsync(api);

        await scenario.DropAsync(KoppelScenario.Dossier, "demo-invoice.xml", KoppelScenario.Sample("demo-invoice.xml"));
        await scenario.DropAsync(KoppelScenario.Dossier, "demo-credit-note.xml", KoppelScenario.Sample("demo-credit-note.xml"));
        await scenario.DropAsync(KoppelScenario.Dossier, "demo.cod", KoppelScenario.Sample("demo.cod"));
        await scenario.DropAsync(KoppelScenario.Dossier, "again-demo-invoice.xml", KoppelScenario.Sample("demo-invoice.xml"));
        await scenario.DropAsync(KoppelScenario.Dossier, "broken.xml", Encoding.UTF8.GetBytes("<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"><"));
        await scenario.DropAsync(KoppelScenario.Dossier, "empty.pdf", []);
        await scenario.DropAsync("0876543270", "stranger.xml", KoppelScenario.Sample("demo-invoice.xml"));

        try
        {
            await Eventually.HoldsAsync(
                async () =>
                {
                    var deliveries = await KoppelScenario.GetArrayAsync(api, $"/api/dossiers/{KoppelScenario.Dossier}/deliveries?status=Delivered");
                    return deliveries.Length == 4;
                },
                TimeSpan.FromSeconds(90),
                "4 deliveries (invoice and credit note to SFTP, credit note and statement by mail) are delivered");
        }
        catch (Exception e)
        {
            var ledger = await api.GetStringAsync($"/api/dossiers/{KoppelScenario.Dossier}/deliveries");
            throw new InvalidOperationException($"{e.Message}\nLedger: {ledger}\nServer log (end):\n{server.Output[Math.Max(0, server.Output.Length - 8000)..]}", e);
        }
        await Eventually.HoldsAsync(
            async () => (await KoppelScenario.GetArrayAsync(api, "/api/quarantine")).Length == 3,
            TimeSpan.FromSeconds(30),
            "the three bad files are quarantined");

        // SFTP: exactly the two invoices, once each, byte for byte, no temporary files left.
        var sftp = scenario.SftpFiles();
        Assert.Equal(2, sftp.Length);
        // The invoice was dropped twice under two names; whichever came first names the one document.
        var contents = sftp.Select(f => File.ReadAllBytes(Path.Combine(scenario.SftpFolder, f))).ToList();
        Assert.Single(contents, c => c.AsSpan().SequenceEqual(KoppelScenario.Sample("demo-invoice.xml")));
        Assert.Single(contents, c => c.AsSpan().SequenceEqual(KoppelScenario.Sample("demo-credit-note.xml")));

        // Mail: one message per mailbox, the credit note with the UBL attached.
        var purchase = Assert.Single(scenario.MessagesTo(scenario.Mailbox));
        Assert.Contains(purchase.Attachments.OfType<MimeKit.MimePart>(), a => (a.FileName ?? string.Empty).EndsWith(".xml", StringComparison.Ordinal));
        Assert.Single(scenario.MessagesTo(scenario.StatementsMailbox));

        // Quarantine: each bad file with a reason a person can act on.
        var quarantine = string.Join('\n', (await KoppelScenario.GetArrayAsync(api, "/api/quarantine")).Select(q => q.ToString()));
        Assert.Contains("UNREADABLE", quarantine, StringComparison.Ordinal);
        Assert.Contains("EMPTY-FILE", quarantine, StringComparison.Ordinal);
        Assert.Contains("UNKNOWN-DOSSIER", quarantine, StringComparison.Ordinal);
        Assert.Empty(await scenario.Inbox.GetBlobsAsync().ToListAsync());

        // Run log and history over HTTP.
        var runs = await KoppelScenario.GetArrayAsync(api, $"/api/dossiers/{KoppelScenario.Dossier}/runs");
        Assert.Contains(runs, r => r.GetProperty("category").GetString() == "Delivery" && r.GetProperty("provider").GetString() == "sftp" && r.GetProperty("status").GetString() == "Succeeded");
        Assert.Contains(runs, r => r.GetProperty("category").GetString() == "Delivery" && r.GetProperty("provider").GetString() == "email");
        Assert.Contains(runs, r => r.GetProperty("resultText").GetString()!.Contains("the same bytes", StringComparison.Ordinal));
        var documents = await KoppelScenario.GetArrayAsync(api, $"/api/dossiers/{KoppelScenario.Dossier}/documents");
        Assert.Equal(3, documents.Length);
        var creditNote = documents.Single(d => d.GetProperty("number").GetString() == "MOL-CN-118").GetProperty("id").GetString();
        var history = await KoppelScenario.GetArrayAsync(api, $"/api/dossiers/{KoppelScenario.Dossier}/documents/{creditNote}/history");
        Assert.Equal(2, history.Count(h => h.GetProperty("event").GetString() == "Delivered"));
        Assert.Contains(history, h => h.GetProperty("provider").GetString() == "email" && (h.GetProperty("reference").GetString() ?? string.Empty).Contains("@koppel.invalid", StringComparison.Ordinal));

        // No secret in anything the server logged, stored or served.
        var everything = new StringBuilder(server.Output);
        var tables = new TableServiceClient(azurite.ConnectionString);
        await foreach (var table in tables.QueryAsync(t => t.Name.CompareTo(settings.Prefix) >= 0 && t.Name.CompareTo(settings.Prefix + "~") < 0))
        {
            await foreach (var entity in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                everything.AppendJoin('|', entity.Select(p => $"{p.Key}={p.Value}")).AppendLine();
            }
        }

        everything.AppendLine(quarantine).AppendJoin('\n', runs.Select(r => r.ToString())).AppendJoin('\n', history.Select(h => h.ToString()));
        everything.AppendLine(await api.GetStringAsync($"/api/dossiers/{KoppelScenario.Dossier}/connections"));
        foreach (var secret in new[] { channels.SftpPassword, channels.SmtpPassword, settings.AdminKey })
        {
            Assert.DoesNotContain(secret, everything.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains("Delivered", server.Output, StringComparison.Ordinal); // the log was really captured
    }
}
