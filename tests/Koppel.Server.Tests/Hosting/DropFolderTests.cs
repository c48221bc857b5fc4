using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Server.Tests.Support;

namespace Koppel.Server.Tests.Hosting;

[Collection(AzuriteCollection.Name)]
public sealed class DropFolderTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_file_saved_in_the_drop_folder_is_moved_into_the_inbox_and_delivered()
    {
        var work = Path.Combine(Path.GetTempPath(), "koppel-drop-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = new ServerSettings(azurite.ConnectionString, work);
        var drop = Path.Combine(work, "drop");
        var outbox = Path.Combine(work, "outbox");
        Directory.CreateDirectory(outbox);
        settings.Values["Koppel:Server:DropFolder"] = drop;
        await using var server = await InProcessServer.StartAsync(settings);
        using var api = server.Client(settings.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/dossiers", new { name = "Bakkerij", enterpriseNumber = "0403170701" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/api/dossiers/0403170701/connections", new
        {
            provider = "local-folder",
            documentKinds = new[] { "BankStatement" },
            options = new Dictionary<string, string> { ["path"] = outbox },
        })).StatusCode);

        Directory.CreateDirectory(Path.Combine(drop, "0403170701"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "samples", "demo.cod"), Path.Combine(drop, "0403170701", "statement.cod"));

        await Eventually.HoldsAsync(
            () => Task.FromResult(Directory.Exists(outbox) && Directory.GetFiles(outbox, "statement_*.cod", SearchOption.AllDirectories).Length == 1),
            TimeSpan.FromSeconds(30),
            "the statement is delivered to the outbox");
        Assert.Empty(Directory.GetFiles(Path.Combine(drop, "0403170701")));
        var documents = await api.GetItemsAsync("/api/dossiers/0403170701/documents");
        Assert.Equal("BankStatement", Assert.Single(documents!).GetProperty("kind").GetString());
    }
}
