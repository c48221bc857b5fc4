using System.Net.Http.Json;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Connectors.Tests.Support;
using Koppel.ProviderFakes;
using Koppel.ProviderFakes.Yuki;
using Koppel.Server.Tests.Support;

namespace Koppel.Server.Tests.EndToEnd;

/// <summary>SIGKILL in the middle of a batch, then a restart: nothing lost, nothing booked twice.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class CrashRecoveryTests(AzuriteFixture azurite, ChannelServersFixture channels)
{
    private const int Documents = 30;

    [Fact]
    public async Task Killing_the_server_mid_batch_loses_no_document_and_duplicates_none_at_the_sftp_side_or_in_yuki()
    {
        var settings = new ServerSettings(azurite.ConnectionString, Path.Combine(Path.GetTempPath(), "koppel-kill-" + Guid.NewGuid().ToString("N")[..8]));
        var scenario = new KoppelScenario(settings, channels, azurite.ConnectionString);
        var port = TestServices.FreeClosedPort();
        var log = new System.Text.StringBuilder();

        // Yuki lives on in this test process while the server is killed, as the real one would.
        var yuki = new YukiFake();
        var administration = new Guid("0b2c7e4a-0000-4000-8000-00000000c0a5");
        yuki.AddDomainKey("yuki-crash-key-91c3", "crash-domain", (administration, "Demo Bakkerij BV"));
        await using var fakes = await ProviderFakesHost.StartAsync([yuki]);
        settings.Values["Koppel:Providers:Yuki:BaseUrl"] = new Uri(fakes.BaseUrlOf(yuki), "ws/").ToString();

        var first = await ServerProcess.StartAsync(settings, port, log);
        using (var api = first.Client(settings.AdminKey))
        {
            await scenario.ConnectAsync(api, sftpKinds: "PurchaseInvoice");
            var yukiConnection = await api.PostAsJsonAsync($"/api/dossiers/{KoppelScenario.Dossier}/connections", new
            {
                provider = "yuki",
                documentKinds = new[] { "PurchaseInvoice" },
                options = new Dictionary<string, string> { ["administrationId"] = administration.ToString(), ["glAccountCode"] = "700000" },
                credentials = new Dictionary<string, string> { ["apiKey"] = "yuki-crash-key-91c3" },
            });
            Assert.Equal(System.Net.HttpStatusCode.Created, yukiConnection.StatusCode);
        }

        for (var i = 1; i <= Documents; i++)
        {
            await scenario.DropAsync(KoppelScenario.Dossier, $"purchase-{i:D3}.xml", KoppelScenario.PurchaseDocument(i));
        }

        await Eventually.HoldsAsync(() => Task.FromResult(scenario.SftpFiles().Length >= 3), TimeSpan.FromSeconds(60), "the first deliveries arrive");
        first.Kill();
        var deliveredBeforeKill = scenario.SftpFiles().Length;

        await using var second = await ServerProcess.StartAsync(settings, port, log);
        using var api2 = second.Client(settings.AdminKey);
        try
        {
            await Eventually.HoldsAsync(
                async () => (await KoppelScenario.GetArrayAsync(api2, $"/api/dossiers/{KoppelScenario.Dossier}/deliveries?status=Delivered")).Length == 3 * Documents,
                TimeSpan.FromSeconds(150),
                $"all {3 * Documents} deliveries are delivered after the restart");
        }
        catch (Exception e)
        {
            var open = (await KoppelScenario.GetArrayAsync(api2, $"/api/dossiers/{KoppelScenario.Dossier}/deliveries"))
                .Where(d => d.GetProperty("status").GetString() != "Delivered")
                .Select(d => $"{d.GetProperty("provider").GetString()} {d.GetProperty("status").GetString()} {d.GetProperty("attempts").GetInt32()} {d.GetProperty("lastError")}");
            throw new InvalidOperationException($"{e.Message}\nNot delivered:\n{string.Join("\n", open.Take(20))}", e);
        }

        Assert.InRange(deliveredBeforeKill, 1, Documents - 1); // the kill really was mid-batch
        var files = scenario.SftpFiles();
        Assert.Equal(Documents, files.Length);
        Assert.DoesNotContain(files, f => f.EndsWith(".part", StringComparison.Ordinal) || f.StartsWith('.'));
        for (var i = 1; i <= Documents; i++)
        {
            var name = Assert.Single(files, f => f.StartsWith($"purchase-{i:D3}_", StringComparison.Ordinal));
            Assert.Equal(KoppelScenario.PurchaseDocument(i), File.ReadAllBytes(Path.Combine(scenario.SftpFolder, name)));
        }

        // Yuki received each purchase invoice once, in its purchase folder, byte for byte.
        var uploaded = yuki.Documents.Where(d => d.Folder == 1).ToList();
        Assert.Equal(Documents, uploaded.Count);
        for (var i = 1; i <= Documents; i++)
        {
            Assert.Single(uploaded, d => d.Content.AsSpan().SequenceEqual(KoppelScenario.PurchaseDocument(i)));
        }

        // Mail promises no exactly-once: a message in flight at the kill may come twice, but then with the same Message-ID.
        var messages = scenario.MessagesTo(scenario.Mailbox);
        var byDocument = messages.GroupBy(m => (m.Subject ?? string.Empty)[Math.Max(0, (m.Subject ?? string.Empty).LastIndexOf("MOL-CN-", StringComparison.Ordinal))..]).ToList();
        Assert.Equal(Documents, byDocument.Count);
        Assert.All(byDocument, copies => Assert.Single(copies.Select(m => m.MessageId).Distinct()));
        Assert.True(messages.Count - Documents <= MaxInFlight, $"{messages.Count - Documents} duplicate messages; at most the {MaxInFlight} in flight at the kill may repeat");

        // The ledger claimed nothing twice and every document is archived once.
        var documents = await KoppelScenario.GetArrayAsync(api2, $"/api/dossiers/{KoppelScenario.Dossier}/documents");
        Assert.Equal(Documents, documents.Length);
        Assert.Empty(await scenario.Inbox.GetBlobsAsync().ToListAsync());
    }

    private const int MaxInFlight = 4; // Koppel:Server:DeliveryConcurrency in ServerSettings
}
