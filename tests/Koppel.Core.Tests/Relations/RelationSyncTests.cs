using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Events;
using Koppel.Core.Payments;
using Koppel.Core.Relations;
using Koppel.Core.Runs;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Tests.Relations;

public sealed class RelationSyncTests
{
    private const string Dossier = "0403170701";
    private readonly InMemoryPorts _ports = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero));
    private readonly InMemoryRelationStore _store = new();
    private readonly PagedReader _reader = new();
    private readonly ConnectorCatalog _catalog;
    private readonly ConnectionService _connections;
    private string _connectionId = null!;

    public RelationSyncTests()
    {
        _catalog = new ConnectorCatalog([_reader, new ScriptedConnector()]);
        _connections = new ConnectionService(_ports, _ports, _ports, _catalog, _clock);
    }

    private RelationSyncHandler Handler() => new(_ports, _ports, _store, _catalog, _connections, Health(), new RunLogWriter(_ports, _ports, _clock), Options.Create(new RelationOptions()), _clock, NullLogger<RelationSyncHandler>.Instance);

    private ConnectionHealthRecorder Health()
    {
        var events = new InMemoryEvents();
        return new ConnectionHealthRecorder(_ports, new EventPublisher(events, events, events, NullLogger<EventPublisher>.Instance), _clock, NullLogger<ConnectionHealthRecorder>.Instance);
    }

    private async Task SetUpAsync()
    {
        var dossiers = new DossierService(_ports, _ports, _connections, _clock);
        await dossiers.CreateAsync(new DossierInput("Bakkerij", Dossier, null, null, null, null), Caller.System, default);
        _connectionId = (await _connections.CreateAsync(Dossier, new ConnectionInput("books", "Books", ["SalesInvoice"], new Dictionary<string, string>(), null, true), Caller.System, default)).Id;
    }

    private Task<RelationSyncSummary?> SyncAsync(bool full = false) =>
        Handler().RunAsync(new RelationSyncJob { DossierId = Dossier, ConnectionId = _connectionId, Full = full }, default);

    [Fact]
    public async Task The_first_sync_reads_everything_and_the_next_only_what_changed_since_its_watermark()
    {
        await SetUpAsync();
        _reader.Add(3, timestamp: 10);

        var first = await SyncAsync();
        _reader.Add(1, timestamp: 20);
        var second = await SyncAsync();

        Assert.True(first!.Full);
        Assert.Equal(3, first.Read);
        Assert.False(second!.Full);
        Assert.Equal(1, second.Read);
        Assert.Equal([null, "10"], _reader.AskedSince);
        Assert.Equal("20", (await _store.GetSyncStateAsync(Dossier, _connectionId, default))!.Watermark);
    }

    [Fact]
    public async Task A_full_sync_on_request_reads_everything_again_and_changes_nothing_that_did_not_change()
    {
        await SetUpAsync();
        _reader.Add(3, timestamp: 10);
        await SyncAsync();

        var full = await SyncAsync(full: true);

        Assert.True(full!.Full);
        Assert.Equal(3, full.Unchanged);
        Assert.Equal(0, full.Added + full.Updated);
    }

    [Fact]
    public async Task Paged_reads_keep_the_watermark_of_each_page_so_a_sync_cut_short_goes_on_from_there()
    {
        await SetUpAsync();
        _reader.PageSize = 2;
        _reader.Add(5, timestamp: 10, step: 1); // timestamps 10..14
        _reader.FailOnPage = 2;

        var cut = await SyncAsync();
        _reader.FailOnPage = null;
        var next = await SyncAsync();

        Assert.Equal(RunStatus.PartiallySucceeded, cut!.Status);
        Assert.Equal(2, cut.Read);
        Assert.Contains("quota", cut.ResultText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("11", _reader.AskedSince[^1]);
        Assert.Equal(3, next!.Read);
        Assert.Equal(5, (await _store.SearchAsync(Dossier, new PartySearch(), Ports.PageRequest.First(), default)).Items.Count);
    }

    [Fact]
    public async Task Overlapping_syncs_leave_each_party_once()
    {
        await SetUpAsync();
        _reader.Add(20, timestamp: 10);

        await Task.WhenAll(SyncAsync(full: true), SyncAsync(full: true), SyncAsync(full: true));

        var all = await _store.SearchAsync(Dossier, new PartySearch(), Ports.PageRequest.First(), default);
        Assert.Equal(20, all.Items.Count);
        Assert.Single(await _store.FindAsync(Dossier, _connectionId, PartyKey.VatNumber, "BE0400000007", default));
    }

    [Fact]
    public async Task Each_sync_is_one_run_log_line_with_its_counts()
    {
        await SetUpAsync();
        _reader.Add(3, timestamp: 10);

        await SyncAsync();

        var run = Assert.Single(_ports.Runs);
        Assert.Equal(RunCategory.RelationSync, run.Category);
        Assert.Equal("sync relations", run.Category.Describe());
        Assert.Equal(3, run.TotalDocuments);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Contains("3 customer(s)/supplier(s) read (3 new", run.ResultText, StringComparison.Ordinal);
        Assert.Contains("2 ledger account(s), 1 VAT code(s)", run.ResultText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_nightly_timer_queues_one_sync_per_reading_connection_once()
    {
        await SetUpAsync();
        await _connections.CreateAsync(Dossier, new ConnectionInput("scripted", "Folder", ["SalesInvoice"], new Dictionary<string, string> { ["target"] = "x" }, new Dictionary<string, string> { ["password"] = "p" }, true), Caller.System, default);
        var queue = new Queued();
        var claims = new InMemoryPollSlotClaims();
        RelationSyncScheduler Scheduler() => new(_ports, _ports, claims, queue, _catalog, Options.Create(new RelationOptions()), _clock, NullLogger<RelationSyncScheduler>.Instance);

        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 0, 55, 0, TimeSpan.Zero)); // 01:55 in Brussels
        await Scheduler().FanOutAsync(default);
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 1, 0, 0, TimeSpan.Zero)); // 02:00
        await Task.WhenAll(Scheduler().FanOutAsync(default), Scheduler().FanOutAsync(default));
        _clock.Advance(TimeSpan.FromMinutes(5));
        await Scheduler().FanOutAsync(default);

        var job = Assert.Single(queue.Jobs);
        Assert.Equal(_connectionId, job.ConnectionId);
        Assert.False(job.Full);
    }

    [Fact]
    public async Task A_caller_of_another_dossier_can_neither_queue_a_sync_nor_read_the_relations()
    {
        await SetUpAsync();
        var queue = new Queued();
        var scheduler = new RelationSyncScheduler(_ports, _ports, new InMemoryPollSlotClaims(), queue, _catalog, Options.Create(new RelationOptions()), _clock, NullLogger<RelationSyncScheduler>.Instance);
        var service = new RelationService(_connections, _store, queue, scheduler, _clock);
        var stranger = new Caller("other-firm", new HashSet<string> { "0876543270" }, AllDossiers: false);

        await Assert.ThrowsAsync<Errors.AccessDeniedException>(() => service.RequestSyncAsync(Dossier, _connectionId, full: false, stranger, default));
        await Assert.ThrowsAsync<Errors.AccessDeniedException>(() => service.SearchAsync(Dossier, new PartySearch(), Ports.PageRequest.First(), stranger, default));
        Assert.Empty(queue.Jobs);
        Assert.Equal("system", (await service.RequestSyncAsync(Dossier, _connectionId, full: true, Caller.System, default)).RequestedBy);
    }

    private sealed class Queued : IRelationSyncQueue
    {
        public List<RelationSyncJob> Jobs { get; } = [];

        public Task EnqueueAsync(RelationSyncJob job, CancellationToken cancellationToken)
        {
            lock (Jobs)
            {
                Jobs.Add(job);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>A provider whose parties carry a numeric timestamp, read in pages ordered by it (like Exact's sync endpoints).</summary>
    private sealed class PagedReader : IConnector, IRelationReader
    {
        private readonly List<(long Timestamp, PartyData Party)> _parties = [];

        public int PageSize { get; set; } = 100;

        public int? FailOnPage { get; set; }

        public List<string?> AskedSince { get; } = [];

        public ConnectorDescriptor Descriptor { get; } = new()
        {
            Provider = "books",
            DisplayName = "Books",
            Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.ReadRelations,
            Delivers = new Dictionary<DocumentKind, DeliveryMode> { [DocumentKind.SalesInvoice] = DeliveryMode.BookEntry },
            Settings = [],
        };

        public void Add(int count, long timestamp, long step = 0)
        {
            lock (_parties)
            {
                for (var i = 0; i < count; i++)
                {
                    var n = _parties.Count;
                    _parties.Add((timestamp + (i * step), new PartyData { ProviderId = $"id-{n}", Code = $"C{n:000}", Name = $"Klant {n}", VatNumber = $"BE0{400000000 + n}" }));
                }
            }
        }

        public Task<PartyPage> ReadPartiesAsync(RelationReadContext context, string? watermark, string? pageToken, CancellationToken cancellationToken)
        {
            var page = pageToken is null ? 1 : int.Parse(pageToken, System.Globalization.CultureInfo.InvariantCulture);
            lock (_parties)
            {
                if (pageToken is null)
                {
                    AskedSince.Add(watermark);
                }

                if (page == FailOnPage)
                {
                    return Task.FromResult(PartyPage.Failed(DeliveryResult.Deferred("the daily quota is used up.", DateTimeOffset.MaxValue), 1));
                }

                var since = watermark is null ? long.MinValue : long.Parse(watermark, System.Globalization.CultureInfo.InvariantCulture);
                var changed = _parties.Where(p => p.Timestamp > since).OrderBy(p => p.Timestamp).ToList();
                var items = changed.Skip((page - 1) * PageSize).Take(PageSize).ToList();
                var more = changed.Count > page * PageSize;
                return Task.FromResult(new PartyPage
                {
                    Parties = [.. items.Select(i => i.Party)],
                    NextPageToken = more ? (page + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
                    Watermark = items.Count > 0 ? items[^1].Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) : watermark,
                    Calls = 1,
                });
            }
        }

        public Task<ReferenceListResult<LedgerAccount>> ReadLedgerAccountsAsync(RelationReadContext context, CancellationToken cancellationToken) =>
            Task.FromResult(new ReferenceListResult<LedgerAccount> { Items = [new LedgerAccount { Code = "700000", Name = "Omzet" }, new LedgerAccount { Code = "400000", Name = "Klanten" }], Calls = 1 });

        public Task<ReferenceListResult<VatCode>> ReadVatCodesAsync(RelationReadContext context, CancellationToken cancellationToken) =>
            Task.FromResult(new ReferenceListResult<VatCode> { Items = [new VatCode { Code = "21", Rate = 21m, Description = "21 %" }], Calls = 1 });

        public Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken) => Task.FromResult(DeliveryResult.Delivered("1"));

        public Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken) => Task.FromResult(new ConnectionTestResult(true, "ok"));
    }
}
