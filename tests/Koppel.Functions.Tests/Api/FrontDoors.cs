using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Koppel.Azure;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Functions.Export;
using Koppel.Functions.Tests.Support;
using Koppel.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Functions.Tests.Api;

/// <summary>The API contract against the self-hosted server on Kestrel, with an API key for every dossier; no background workers.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class The_self_hosted_api(AzuriteFixture azurite) : ApiContract
{
    private readonly ServerSettings _settings = new(azurite.ConnectionString, Path.Combine(Path.GetTempPath(), "koppel-api-" + Guid.NewGuid().ToString("N")[..8]));
    private InProcessServer? _server;

    protected override string CallerName => "integration-team";

    protected override IServiceProvider Services => _server!.Services;

    protected override async Task<HttpClient> StartAsync()
    {
        _settings.Values["Koppel:Server:RunWorkers"] = "false";
        _server = await InProcessServer.StartAsync(_settings);
        return _server.Client(_settings.AdminKey);
    }

    protected override async Task StopAsync()
    {
        await _server!.DisposeAsync();
        Directory.Delete(_settings.WorkDirectory, recursive: true);
    }
}

/// <summary>The API contract against the Functions app's HTTP functions (see <see cref="FunctionsApi"/>).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class The_functions_api(AzuriteFixture azurite) : ApiContract
{
    private readonly FunctionsApi _api = new(azurite);

    protected override string CallerName => "function-key";

    protected override IServiceProvider Services => _api.Services;

    [Fact]
    public async Task An_export_answered_with_202_is_queued_by_the_export_job_trigger()
    {
        await CreateDossierAsync();
        await CreateSftpConnectionAsync("pw");
        var upload = await Client.PostAsync($"/api/dossiers/{Dossier}/documents?fileName=demo.cod", new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "samples", "demo.cod"))));
        var documentId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("documentId").GetString();

        var export = await Client.PostAsJsonAsync($"/api/dossiers/{Dossier}/exports", new { documentIds = new[] { documentId }, resend = true });
        Assert.Equal(HttpStatusCode.Accepted, export.StatusCode);
        Assert.DoesNotContain(_api.Sent, r => r.RunId is not null);

        // What the host's queue trigger would hand the function: the message the API put on the export queue.
        var storage = _api.Services.GetRequiredService<KoppelStorageClients>();
        var message = (await storage.Queue(storage.Names.ExportQueue).ReceiveMessageAsync()).Value;
        var function = ActivatorUtilities.CreateInstance<RunExportJobFunction>(_api.Services);
        await function.RunExportJob(message, default);

        var run = await Client.GetFromJsonAsync<JsonElement>(export.Headers.Location!.ToString());
        Assert.Equal("Running", run.GetProperty("status").GetString());
        Assert.Equal(1, run.GetProperty("totalDocuments").GetInt32());
        Assert.Equal(documentId, Assert.Single(_api.Sent, r => r.RunId == run.GetProperty("runId").GetString()).DocumentId);
    }

    protected override async Task<HttpClient> StartAsync()
    {
        await _api.StartAsync();
        return _api.Client;
    }

    protected override Task StopAsync()
    {
        _api.Dispose();
        return Task.CompletedTask;
    }
}
