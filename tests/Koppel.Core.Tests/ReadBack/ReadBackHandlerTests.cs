using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;

namespace Koppel.Core.Tests.ReadBack;

public class ReadBackHandlerTests
{
    private const string Password = "Rb-s3cret-Pa55";
    private readonly FolderTarget _folder = new();
    private readonly StatusProvider _provider = new();
    private readonly CoreHarness _harness;

    public ReadBackHandlerTests() => _harness = new CoreHarness(null, _folder, _provider);

    private async Task<Connection> ConnectAsync(string provider, string name, bool acknowledgements = true)
    {
        if (await ((IDossierRepository)_harness.Ports).GetAsync(CoreHarness.DossierId, default) is null)
        {
            await _harness.Dossiers.CreateAsync(new DossierInput("Demo Bakkerij BV", CoreHarness.DossierId, null, null, null), Caller.System, default);
        }

        var settings = provider == "folder-target" ? new Dictionary<string, string> { ["acknowledgements"] = acknowledgements ? "on" : "off" } : [];
        return await _harness.Connections.CreateAsync(
            CoreHarness.DossierId,
            new ConnectionInput(provider, name, ["SalesInvoice", "PurchaseInvoice", "BankStatement"], settings, new Dictionary<string, string> { ["password"] = Password }, true),
            Caller.System,
            default);
    }

    private async Task<string> DeliverInvoiceAsync()
    {
        var item = _harness.Ports.Drop(CoreHarness.DossierId, "demo-invoice.xml", CoreHarness.Sample("demo-invoice.xml"));
        var result = await _harness.Ingest.HandleAsync(item, default);
        await _harness.DrainQueueAsync();
        return result.DocumentId!;
    }

    private List<HistoryEntry> ReadBackLines(string documentId) =>
        [.. _harness.Ports.History.Where(h => h.DocumentId == documentId && h.Event == HistoryEvent.ReadBack)];

    private async Task SeedAsync(Connection connection, int count, DateTimeOffset deliveredAt)
    {
        for (var i = 0; i < count; i++)
        {
            var path = $"/Koppel/doc{i:D4}.xml";
            _folder.Files[path] = AcknowledgementStatus.Waiting;
            await _harness.ReadBackIndex.AddIfAbsentAsync(
                new ReadBackItem
                {
                    DossierId = connection.DossierId,
                    ConnectionId = connection.Id,
                    DeliveryId = $"d{i:D4}",
                    DocumentId = $"doc{i:D4}",
                    Provider = connection.Provider,
                    Reference = path,
                    DeliveredAt = deliveredAt,
                },
                default);
        }
    }

    [Fact]
    public async Task A_file_the_receiver_moved_to_processed_is_told_once_in_the_history_and_then_no_longer_looked_for()
    {
        await ConnectAsync("folder-target", "Dropbox van de boekhouder");
        var documentId = await DeliverInvoiceAsync();
        var path = Assert.Single(_folder.Files.Keys);

        var waiting = await _harness.ReadBack.RunAsync(default);
        Assert.Equal(1, waiting.Asked);
        Assert.Empty(ReadBackLines(documentId));

        _folder.Files[path] = AcknowledgementStatus.Processed;
        var moved = await _harness.ReadBack.RunAsync(default);
        var again = await _harness.ReadBack.RunAsync(default);

        var line = Assert.Single(ReadBackLines(documentId));
        Assert.Equal("Dropbox van de boekhouder: the receiver moved the file to processed/ (/Koppel/processed/" + documentId + ".xml).", line.Detail);
        Assert.Equal(1, moved.Changes);
        Assert.Equal(0, again.Asked);
        Assert.Equal(2, _folder.BatchSizes.Count);
        Assert.Empty(_harness.ReadBackIndex.Items);
        var run = Assert.Single(_harness.Ports.Runs, r => r.Category == RunCategory.ReadBack);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal("Read back from Dropbox van de boekhouder: 1 processed; 1 call.", run.ResultText);
        Assert.Equal("read back", run.Category.Describe());
    }

    [Fact]
    public async Task A_file_moved_to_error_is_told_as_not_processed()
    {
        await ConnectAsync("folder-target", "Dropbox");
        var documentId = await DeliverInvoiceAsync();
        _folder.Files[Assert.Single(_folder.Files.Keys)] = AcknowledgementStatus.Rejected;

        await _harness.ReadBack.RunAsync(default);

        var line = Assert.Single(ReadBackLines(documentId));
        Assert.StartsWith("Dropbox: the receiver moved the file to error/", line.Detail, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(_harness.Ports.Runs, r => r.Category == RunCategory.ReadBack).FailedDocuments);
    }

    [Fact]
    public async Task A_connection_that_does_not_use_the_acknowledgement_convention_is_never_asked()
    {
        await ConnectAsync("folder-target", "Dropbox", acknowledgements: false);
        await DeliverInvoiceAsync();

        var summary = await _harness.ReadBack.RunAsync(default);

        Assert.Empty(_harness.ReadBackIndex.Items);
        Assert.Equal(0, summary.Connections);
        Assert.Empty(_folder.BatchSizes);
    }

    [Fact]
    public async Task A_provider_refusal_is_written_in_the_providers_words_and_a_pending_status_writes_nothing()
    {
        await ConnectAsync("status-provider", "Onea (Exact)");
        var documentId = await DeliverInvoiceAsync();
        var reference = Assert.Single(_provider.Statuses.Keys);

        await _harness.ReadBack.RunAsync(default);
        Assert.Empty(ReadBackLines(documentId));

        _provider.Statuses[reference] = new ProviderStatus(ProviderStatusKind.Failed, "Onea could not process the invoice (rejected): unknown supplier VAT number.") { ProviderId = "ex-77" };
        await _harness.ReadBack.RunAsync(default);
        await _harness.ReadBack.RunAsync(default);

        var line = Assert.Single(ReadBackLines(documentId));
        Assert.Equal("Onea could not process the invoice (rejected): unknown supplier VAT number.", line.Detail);
        Assert.Equal("ex-77", line.Reference);
        Assert.Equal(2, _provider.Asked.Count);
        var run = Assert.Single(_harness.Ports.Runs, r => r.Category == RunCategory.ReadBack);
        Assert.Equal("Read back from Onea (Exact): 1 refused; 1 call.", run.ResultText);
    }

    [Fact]
    public async Task Overlapping_runs_tell_a_change_once()
    {
        await ConnectAsync("folder-target", "Dropbox");
        var documentId = await DeliverInvoiceAsync();
        _folder.Files[Assert.Single(_folder.Files.Keys)] = AcknowledgementStatus.Processed;
        var bothReading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readers = 0;
        _folder.BeforeAnswer = async () =>
        {
            if (Interlocked.Increment(ref readers) == 2)
            {
                bothReading.SetResult();
            }

            await bothReading.Task.WaitAsync(TimeSpan.FromSeconds(10));
        };

        var runs = await Task.WhenAll(Task.Run(() => _harness.ReadBack.RunAsync(default)), Task.Run(() => _harness.ReadBack.RunAsync(default)));

        Assert.Single(ReadBackLines(documentId));
        Assert.Equal(1, runs.Sum(r => r.Changes));
        Assert.Empty(_harness.ReadBackIndex.Items);
    }

    [Fact]
    public async Task A_change_claimed_by_a_run_that_stopped_is_told_by_a_later_run()
    {
        var connection = await ConnectAsync("folder-target", "Dropbox");
        await SeedAsync(connection, 1, _harness.Clock.GetUtcNow());
        var item = Assert.Single(_harness.ReadBackIndex.Items);
        _folder.Files[item.Reference] = AcknowledgementStatus.Processed;

        // What a run leaves when it stops between claiming the change and writing its line.
        await _harness.ReadBackIndex.ReplaceAsync(item with { State = ReadBackState.Processed, Reported = false, ChangedAt = _harness.Clock.GetUtcNow() }, default);
        await _harness.ReadBack.RunAsync(default);
        Assert.Empty(ReadBackLines(item.DocumentId)); // another run may still be writing it

        _harness.Clock.Advance(_harness.ReadBackOptions.ClaimTimeout + TimeSpan.FromMinutes(1));
        await _harness.ReadBack.RunAsync(default);
        await _harness.ReadBack.RunAsync(default);

        Assert.Single(ReadBackLines(item.DocumentId));
        Assert.Empty(_harness.ReadBackIndex.Items);
    }

    [Fact]
    public async Task Koppel_stops_asking_after_the_configured_age_and_says_so()
    {
        var connection = await ConnectAsync("folder-target", "Dropbox");
        await SeedAsync(connection, 2, _harness.Clock.GetUtcNow());
        _harness.Clock.Advance(TimeSpan.FromDays(31));

        var summary = await _harness.ReadBack.RunAsync(default);

        Assert.Equal(2, summary.GaveUp);
        Assert.Empty(_folder.BatchSizes);
        Assert.Empty(_harness.ReadBackIndex.Items);
        Assert.Equal(
            "Dropbox: the receiver did not move the file to processed/ or error/ within 30 days; Koppel stopped looking.",
            Assert.Single(ReadBackLines("doc0000")).Detail);
    }

    [Fact]
    public async Task Deliveries_are_asked_about_in_batches()
    {
        var connection = await ConnectAsync("folder-target", "Dropbox");
        await SeedAsync(connection, 120, _harness.Clock.GetUtcNow());

        var summary = await _harness.ReadBack.RunAsync(default);

        Assert.Equal([50, 50, 20], _folder.BatchSizes);
        Assert.Equal(120, summary.Asked);
        Assert.Equal(3, summary.Calls);
        Assert.DoesNotContain(_harness.Ports.Runs, r => r.Category == RunCategory.ReadBack); // nothing changed: nothing to show
    }

    [Fact]
    public async Task A_failing_connection_is_in_its_run_log_without_its_secret_and_the_others_go_on()
    {
        await ConnectAsync("folder-target", "Dropbox");
        await ConnectAsync("status-provider", "Onea");
        var documentId = await DeliverInvoiceAsync();
        _folder.FailWith = $"the server refused the login with password {Password}";
        _provider.Statuses[Assert.Single(_provider.Statuses.Keys)] = new ProviderStatus(ProviderStatusKind.Processed, "Onea passed the invoice on to the accounting package.");

        var summary = await _harness.ReadBack.RunAsync(default);

        Assert.Equal(1, summary.FailedConnections);
        Assert.Equal("Onea passed the invoice on to the accounting package.", Assert.Single(ReadBackLines(documentId)).Detail);
        var failed = Assert.Single(_harness.Ports.Runs, r => r.Category == RunCategory.ReadBack && r.Status == RunStatus.Failed);
        Assert.StartsWith("Could not read back from Dropbox: HttpRequestException: the server refused the login", failed.ResultText, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failed.ResultText, StringComparison.Ordinal);
        Assert.Single(_harness.ReadBackIndex.Items); // the file is asked about again next run

        _folder.FailWith = null;
        _folder.Files[Assert.Single(_folder.Files.Keys)] = AcknowledgementStatus.Processed;
        await _harness.ReadBack.RunAsync(default);
        Assert.Equal(2, ReadBackLines(documentId).Count);
    }

    [Fact]
    public async Task Deliveries_of_a_deleted_connection_are_dropped_without_a_word()
    {
        var connection = await ConnectAsync("folder-target", "Dropbox");
        await SeedAsync(connection, 3, _harness.Clock.GetUtcNow());
        await _harness.Connections.DeleteAsync(CoreHarness.DossierId, connection.Id, Caller.System, default);

        await _harness.ReadBack.RunAsync(default);

        Assert.Empty(_harness.ReadBackIndex.Items);
        Assert.Empty(_folder.BatchSizes);
        Assert.DoesNotContain(_harness.Ports.History, h => h.Event == HistoryEvent.ReadBack);
    }
}
