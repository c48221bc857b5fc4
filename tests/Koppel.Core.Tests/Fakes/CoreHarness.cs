using Koppel.Core.Connectors;
using Koppel.Core.Delivery;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Events;
using Koppel.Core.Export;
using Koppel.Core.Ingestion;
using Koppel.Core.Ports;
using Koppel.Core.ReadBack;
using Koppel.Core.Runs;
using Koppel.Core.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Tests.Fakes;

// Wires the real handlers over in-memory ports, with a clock the test moves.
public sealed class CoreHarness
{
    public const string DossierId = "0403170701";

    public CoreHarness(DeliveryOptions? deliveryOptions = null, params IConnector[] moreConnectors)
    {
        Clock = new ManualClock(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));
        Connector = new ScriptedConnector();
        Catalog = new ConnectorCatalog([Connector, .. moreConnectors]);
        var runLog = new RunLogWriter(Ports, Ports, Clock);
        Dispatcher = new DeliveryDispatcher(Ports, Ports, Ports, Clock);
        Connections = new ConnectionService(Ports, Ports, Ports, Catalog, Clock);
        Dossiers = new DossierService(Ports, Ports, Connections, Clock);
        Ingest = new IngestHandler(Ports, Ports, Ports, Ports, Ports, Ports, new FormatsDocumentReader(1024 * 1024), Dispatcher, runLog, Clock,
            Options.Create(new IngestOptions { MaxDocumentBytes = 1024 * 1024 }), NullLogger<IngestHandler>.Instance);
        DeliveryOptions = deliveryOptions ?? new DeliveryOptions { MaxAttempts = 4, FirstRetryDelay = TimeSpan.FromSeconds(10) };
        Publisher = new EventPublisher(Events, Events, Events, NullLogger<EventPublisher>.Instance);
        Health = new ConnectionHealthRecorder(Ports, Publisher, Clock, NullLogger<ConnectionHealthRecorder>.Instance);
        Delivery = new DeliveryHandler(Ports, Ports, Ports, Ports, Ports, Ports, Connections, Catalog, runLog, Publisher, Health, ReadBackIndex, Clock, Options.Create(DeliveryOptions), NullLogger<DeliveryHandler>.Instance);
        Webhooks = new WebhookService(Events, Events, Events, Ports, Events, Clock);
        WebhookPosts = new WebhookDeliveryHandler(Events, Events, Events, Events, Ports, Clock, Options.Create(WebhookOptions), NullLogger<WebhookDeliveryHandler>.Instance);
        Export = new ExportHandler(Ports, Ports, Ports, Ports, Ports, runLog, Dispatcher, Ports, Options.Create(ExportOptions), Clock, NullLogger<ExportHandler>.Instance);
        ReadBack = new ReadBackHandler(ReadBackIndex, Ports, Ports, Connections, Catalog, Ports, Clock, Options.Create(ReadBackOptions), NullLogger<ReadBackHandler>.Instance);
        Sweeper = new StaleDeliverySweeper(Ports, Ports, Clock, Options.Create(DeliveryOptions), NullLogger<StaleDeliverySweeper>.Instance);
    }

    public InMemoryPorts Ports { get; } = new();

    public InMemoryEvents Events { get; } = new();

    public InMemoryReadBackIndex ReadBackIndex { get; } = new();

    public EventPublisher Publisher { get; }

    public ConnectionHealthRecorder Health { get; }

    public WebhookService Webhooks { get; }

    public WebhookOptions WebhookOptions { get; } = new();

    public WebhookDeliveryHandler WebhookPosts { get; }

    public ManualClock Clock { get; }

    public ScriptedConnector Connector { get; }

    public ConnectorCatalog Catalog { get; }

    public DeliveryDispatcher Dispatcher { get; }

    public ConnectionService Connections { get; }

    public DossierService Dossiers { get; }

    public IngestHandler Ingest { get; }

    public DeliveryOptions DeliveryOptions { get; }

    public ExportOptions ExportOptions { get; } = new() { PageSize = 10 };

    public DeliveryHandler Delivery { get; }

    public ExportHandler Export { get; }

    public StaleDeliverySweeper Sweeper { get; }

    public ReadBackOptions ReadBackOptions { get; } = new() { BatchSize = 50 };

    public ReadBackHandler ReadBack { get; }

    public async Task<Connection> SeedAsync(string password = "s3cret-Pa55word")
    {
        await Dossiers.CreateAsync(new DossierInput("Demo Bakkerij BV", DossierId, null, null, null), Caller.System, default);
        return await Connections.CreateAsync(
            DossierId,
            new ConnectionInput("scripted", "Test target", ["SalesInvoice", "PurchaseInvoice", "BankStatement"], new Dictionary<string, string> { ["target"] = "x" }, new Dictionary<string, string> { ["password"] = password }, true),
            Caller.System,
            default);
    }

    /// <summary>Plays the export-job queue: runs each queued job (and the continuations it queues) until none is left.</summary>
    public async Task RunExportJobsAsync(CancellationToken cancellationToken = default)
    {
        while (Ports.ExportJobs.Count > 0)
        {
            var job = Ports.ExportJobs[0];
            Ports.ExportJobs.RemoveAt(0);
            await Export.RunJobAsync(job, attempt: 1, cancellationToken);
        }
    }

    public static byte[] Sample(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", name));

    /// <summary>Plays the queue like a broker would: hands out due messages until none is left, moving the clock to each retry.</summary>
    public async Task<List<DeliveryOutcome>> DrainQueueAsync(int maxSteps = 100)
    {
        var outcomes = new List<DeliveryOutcome>();
        var pending = new List<(DeliveryRequest Request, DateTimeOffset Due)>();
        for (var step = 0; step < maxSteps; step++)
        {
            foreach (var (request, delay) in Ports.Queued)
            {
                pending.Add((request, Clock.GetUtcNow() + (delay ?? TimeSpan.Zero)));
            }

            Ports.Queued.Clear();
            if (pending.Count == 0)
            {
                return outcomes;
            }

            var next = pending.OrderBy(p => p.Due).First();
            pending.Remove(next);
            if (next.Due > Clock.GetUtcNow())
            {
                Clock.SetUtcNow(next.Due);
            }

            var outcome = await Delivery.HandleAsync(next.Request, default);
            outcomes.Add(outcome);
            if (outcome.Kind == DeliveryOutcomeKind.Retry)
            {
                pending.Add((next.Request with { Attempt = next.Request.Attempt + 1 }, Clock.GetUtcNow() + outcome.RetryAfter));
            }
        }

        throw new InvalidOperationException("The queue did not drain.");
    }
}

public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void SetUtcNow(DateTimeOffset now) => _now = now;

    public void Advance(TimeSpan by) => _now += by;
}
