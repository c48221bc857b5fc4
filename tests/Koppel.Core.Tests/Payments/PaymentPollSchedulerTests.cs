using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Payments;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Tests.Payments;

public sealed class PaymentPollSchedulerTests
{
    private readonly InMemoryPorts _ports = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 29, 4, 55, 0, TimeSpan.Zero));
    private readonly InMemoryPollSlotClaims _claims = new();
    private readonly QueuedPolls _queue = new();
    private readonly ConnectorCatalog _catalog = new([new ReadingConnector("books"), new ScriptedConnector()]);
    private readonly PaymentOptions _options = new() { CatchUp = TimeSpan.FromHours(2) };

    private PaymentPollScheduler NewHost() =>
        new(_ports, _ports, _claims, _queue, _catalog, Options.Create(_options), _clock, NullLogger<PaymentPollScheduler>.Instance);

    private async Task<Dossier> DossierAsync(string id, string? schedule = null, string? zone = null)
    {
        var connections = new ConnectionService(_ports, _ports, _ports, _catalog, _clock);
        var dossiers = new DossierService(_ports, _ports, connections, _clock);
        var dossier = await dossiers.CreateAsync(new DossierInput("Bakkerij", id, null, null, zone, schedule), Caller.System, default);
        await connections.CreateAsync(id, new ConnectionInput("books", "Books", ["SalesInvoice"], new Dictionary<string, string>(), null, true), Caller.System, default);
        await connections.CreateAsync(id, new ConnectionInput("scripted", "Folder", ["SalesInvoice"], new Dictionary<string, string> { ["target"] = "x" }, new Dictionary<string, string> { ["password"] = "p" }, true), Caller.System, default);
        await connections.CreateAsync(id, new ConnectionInput("books", "Books (purchases only)", ["PurchaseInvoice"], new Dictionary<string, string>(), null, true), Caller.System, default);
        return dossier;
    }

    [Fact]
    public async Task Nothing_is_queued_before_seven_local_time_and_one_poll_per_reading_connection_after()
    {
        await DossierAsync("0403170701");

        Assert.Equal(0, (await NewHost().FanOutAsync(default)).JobsQueued);

        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 29, 5, 0, 0, TimeSpan.Zero)); // 07:00 in Brussels on the day clocks go forward
        var fanOut = await NewHost().FanOutAsync(default);

        Assert.Equal(1, fanOut.JobsQueued);
        var job = Assert.Single(_queue.Jobs);
        Assert.Equal("20260329T0500Z", job.Slot);
        Assert.Equal("books", _ports.Connections.Single(c => c.Id == job.ConnectionId).Provider);
    }

    [Fact]
    public async Task A_slot_is_queued_once_across_timer_firings_and_two_hosts()
    {
        await DossierAsync("0403170701");
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 29, 5, 0, 0, TimeSpan.Zero));

        await Task.WhenAll(NewHost().FanOutAsync(default), NewHost().FanOutAsync(default));
        _clock.Advance(TimeSpan.FromMinutes(5));
        await NewHost().FanOutAsync(default);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await NewHost().FanOutAsync(default);

        Assert.Single(_queue.Jobs);
    }

    [Fact]
    public async Task A_firing_that_crashed_before_queuing_leaves_its_slot_to_a_later_firing()
    {
        await DossierAsync("0403170701");
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 29, 5, 0, 0, TimeSpan.Zero));
        Assert.True(await _claims.TryClaimAsync("0403170701", "20260329T0500Z", _clock.GetUtcNow(), _options.TakeOverClaimAfter, default));

        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(0, (await NewHost().FanOutAsync(default)).JobsQueued);

        _clock.Advance(_options.TakeOverClaimAfter);
        Assert.Equal(1, (await NewHost().FanOutAsync(default)).JobsQueued);
    }

    [Fact]
    public async Task A_dossier_with_its_own_schedule_is_polled_on_it_and_not_on_the_global_one()
    {
        await DossierAsync("0403170701");
        await DossierAsync("0876543270", schedule: "30 6 * * 1-5");
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 5, 30, 0, TimeSpan.Zero)); // Monday 06:30 in Brussels

        await NewHost().FanOutAsync(default);
        _clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 6, 0, 0, TimeSpan.Zero)); // 07:00
        await NewHost().FanOutAsync(default);

        Assert.Equal(["0876543270", "0403170701"], _queue.Jobs.Select(j => j.DossierId));
    }

    [Fact]
    public async Task A_disabled_or_broken_connection_is_not_polled()
    {
        await DossierAsync("0403170701");
        var books = _ports.Connections.Single(c => c.Provider == "books" && c.DocumentKinds.Contains(DocumentKind.SalesInvoice));
        await ((Ports.IConnectionRepository)_ports).UpsertAsync(books with { Health = new ConnectionHealth(ConnectionHealthStatus.NeedsConsent, "expired", _clock.GetUtcNow()) }, default);
        _clock.SetUtcNow(new DateTimeOffset(2026, 3, 29, 5, 0, 0, TimeSpan.Zero));

        Assert.Equal(0, (await NewHost().FanOutAsync(default)).JobsQueued);
    }

    [Fact]
    public async Task An_unusable_dossier_schedule_is_refused_when_the_dossier_is_saved()
    {
        var error = await Assert.ThrowsAsync<Errors.RequestValidationException>(() => DossierAsync("0403170701", schedule: "every morning"));

        Assert.Contains("paymentSchedule", error.Message + string.Join(",", error.Errors.Keys), StringComparison.Ordinal);
    }

    private sealed class QueuedPolls : IPollJobQueue
    {
        public List<PollJob> Jobs { get; } = [];

        public Task EnqueueAsync(PollJob job, CancellationToken cancellationToken)
        {
            lock (Jobs)
            {
                Jobs.Add(job);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>A connector that can read payments (what it reads does not matter to the timer).</summary>
    private sealed class ReadingConnector(string provider) : IConnector, IPaymentReader
    {
        public ConnectorDescriptor Descriptor { get; } = new()
        {
            Provider = provider,
            DisplayName = "Books",
            Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.ReadPayments,
            Delivers = new Dictionary<DocumentKind, DeliveryMode> { [DocumentKind.SalesInvoice] = DeliveryMode.BookEntry, [DocumentKind.PurchaseInvoice] = DeliveryMode.BookEntry },
            Settings = [],
        };

        public Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken) => Task.FromResult(DeliveryResult.Delivered("1"));

        public Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken) => Task.FromResult(new ConnectionTestResult(true, "ok"));

        public Task<ReceivablesReadResult> ReadReceivablesAsync(PaymentReadContext context, CancellationToken cancellationToken) => Task.FromResult(new ReceivablesReadResult { Complete = true });
    }
}
