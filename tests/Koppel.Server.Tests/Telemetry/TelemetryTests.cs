using System.Diagnostics;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Telemetry;
using Koppel.Server.Tests.EndToEnd;
using Koppel.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Koppel.Server.Tests.Telemetry;

/// <summary>
/// Koppel's meter and activity source are process-wide: these tests run alone, so the measurements they read are their own.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<AzuriteFixture>, ICollectionFixture<ChannelServersFixture>
{
    public const string Name = "Telemetry";
}

/// <summary>A document dropped into the in-process server, read back from OpenTelemetry's in-memory exporter.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class When_a_dropped_document_is_delivered(AzuriteFixture azurite, ChannelServersFixture channels)
{
    [Fact]
    public async Task Ingest_enqueue_delivery_and_the_sftp_upload_are_one_trace_tagged_with_the_ids_and_no_secret()
    {
        await using var run = await DeliveredDocument.RunAsync(azurite, channels);

        var ingest = Assert.Single(run.Spans, s => s.OperationName == KoppelTelemetry.Spans.Ingest && Tag(s, KoppelTelemetry.Tags.DocumentId) == run.DocumentId);
        var trace = run.Spans.Where(s => s.TraceId == ingest.TraceId).ToList();
        var enqueue = Assert.Single(trace, s => s.OperationName == KoppelTelemetry.Spans.Enqueue);
        var deliver = Assert.Single(trace, s => s.OperationName == KoppelTelemetry.Spans.Deliver);
        var call = Assert.Single(trace, s => s.OperationName == KoppelTelemetry.Spans.ConnectorCall);
        var upload = Assert.Single(trace, s => s.OperationName == KoppelTelemetry.Spans.Sftp);

        // One chain across the queue hop: ingest → enqueue → (queue message) → deliver → connector → SFTP.
        Assert.Equal(ingest.SpanId, enqueue.ParentSpanId);
        Assert.Equal(enqueue.SpanId, deliver.ParentSpanId);
        Assert.Equal(deliver.SpanId, call.ParentSpanId);
        Assert.Equal(call.SpanId, upload.ParentSpanId);
        Assert.Equal(ActivityKind.Producer, enqueue.Kind);
        Assert.Equal(ActivityKind.Consumer, deliver.Kind);

        foreach (var span in new[] { ingest, enqueue, deliver, call })
        {
            Assert.Equal(KoppelScenario.Dossier, Tag(span, KoppelTelemetry.Tags.DossierId));
            Assert.Equal(run.DocumentId, Tag(span, KoppelTelemetry.Tags.DocumentId));
        }

        foreach (var span in new[] { enqueue, deliver, call })
        {
            Assert.Equal(run.ConnectionId, Tag(span, KoppelTelemetry.Tags.ConnectionId));
        }

        Assert.Equal("sftp", Tag(call, KoppelTelemetry.Tags.Provider));
        Assert.Equal("Delivered", Tag(call, KoppelTelemetry.Tags.Outcome));
        Assert.Equal("127.0.0.1", Tag(upload, "server.address"));

        // Not one exported span (of any trace) carries a credential or the API key, in a tag, an event or a status.
        var exported = string.Join('\n', run.Spans.Select(Describe));
        foreach (var secret in new[] { channels.SftpPassword, channels.SmtpPassword, run.Settings.AdminKey })
        {
            Assert.DoesNotContain(secret, exported, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_ingested_and_delivered_counters_move_by_one_and_the_latencies_are_recorded()
    {
        await using var run = await DeliveredDocument.RunAsync(azurite, channels);

        Assert.Equal(1, run.Sum("koppel.documents.ingested", KoppelTelemetry.Tags.Kind, "SalesInvoice"));
        Assert.Equal(1, run.Sum("koppel.deliveries.delivered", KoppelTelemetry.Tags.Provider, "sftp"));
        Assert.Equal(0, run.Sum("koppel.deliveries.failed", KoppelTelemetry.Tags.Provider, "sftp"));
        Assert.Equal(1, run.Count("koppel.delivery.duration", KoppelTelemetry.Tags.Provider, "sftp"));
        Assert.Equal(1, run.Count("koppel.provider.call.duration", KoppelTelemetry.Tags.Provider, "sftp"));
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private static string Describe(Activity span) =>
        $"{span.OperationName} {span.DisplayName} {span.StatusDescription} "
        + string.Join(' ', span.TagObjects.Select(t => $"{t.Key}={t.Value}"))
        + string.Join(' ', span.Events.Select(e => e.Name + string.Join(' ', e.Tags.Select(t => $"{t.Key}={t.Value}"))))
        + string.Join(' ', span.Baggage.Select(b => $"{b.Key}={b.Value}"));

    /// <summary>A server with the in-memory exporters, a dossier on SFTP and mail, and the sample invoice dropped and delivered.</summary>
    private sealed class DeliveredDocument : IAsyncDisposable
    {
        private readonly InProcessServer _server;
        private readonly List<MetricSnapshot> _metrics;

        private DeliveredDocument(InProcessServer server, ServerSettings settings, List<Activity> spans, List<MetricSnapshot> metrics, string documentId, string connectionId)
        {
            _server = server;
            Settings = settings;
            Spans = spans;
            _metrics = metrics;
            DocumentId = documentId;
            ConnectionId = connectionId;
        }

        public ServerSettings Settings { get; }

        public List<Activity> Spans { get; }

        public string DocumentId { get; }

        public string ConnectionId { get; }

        public static async Task<DeliveredDocument> RunAsync(AzuriteFixture azurite, ChannelServersFixture channels)
        {
            var settings = new ServerSettings(azurite.ConnectionString, Path.Combine(Path.GetTempPath(), "koppel-otel-" + Guid.NewGuid().ToString("N")[..8]));
            var spans = new List<Activity>();
            var metrics = new List<MetricSnapshot>();
            var server = await InProcessServer.StartAsync(settings, configure: builder =>
            {
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
                builder.Services.ConfigureOpenTelemetryMeterProvider(meters => meters.AddInMemoryExporter(metrics));
            });
            var scenario = new KoppelScenario(settings, channels, azurite.ConnectionString);
            using var api = server.Client(settings.AdminKey);
            await scenario.ConnectAsync(api, sftpKinds: "SalesInvoice");
            await scenario.DropAsync(KoppelScenario.Dossier, "demo-invoice.xml", KoppelScenario.Sample("demo-invoice.xml"));

            await Eventually.HoldsAsync(
                async () => (await KoppelScenario.GetArrayAsync(api, $"/api/dossiers/{KoppelScenario.Dossier}/deliveries?status=Delivered")).Length == 1,
                TimeSpan.FromSeconds(60),
                "the invoice is delivered to SFTP");
            var delivery = (await KoppelScenario.GetArrayAsync(api, $"/api/dossiers/{KoppelScenario.Dossier}/deliveries?status=Delivered")).Single();

            // The deliver span ends after the ledger says delivered: wait for it before reading.
            await Eventually.HoldsAsync(
                () => Task.FromResult(Snapshot(spans).Any(s => s.OperationName == KoppelTelemetry.Spans.Deliver && s.GetTagItem(KoppelTelemetry.Tags.Outcome) is not null)),
                TimeSpan.FromSeconds(10),
                "the delivery span has ended");
            server.Services.GetRequiredService<MeterProvider>().ForceFlush();
            return new DeliveredDocument(server, settings, Snapshot(spans), metrics, delivery.GetProperty("documentId").GetString()!, delivery.GetProperty("connectionId").GetString()!);
        }

        /// <summary>The latest (cumulative) value of a counter, for the points carrying the tag.</summary>
        public long Sum(string metric, string tag, string value) =>
            Points(metric, tag, value).Sum(p => p.GetSumLong());

        /// <summary>How many values a histogram recorded, for the points carrying the tag.</summary>
        public long Count(string metric, string tag, string value) =>
            Points(metric, tag, value).Sum(p => p.GetHistogramCount());

        private List<MetricPoint> Points(string metric, string tag, string value)
        {
            var latest = _metrics.LastOrDefault(m => m.Name == metric);
            if (latest is null)
            {
                return [];
            }

            return latest.MetricPoints.Where(p =>
            {
                foreach (var t in p.Tags)
                {
                    if (t.Key == tag && string.Equals(t.Value?.ToString(), value, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }

                return false;
            }).ToList();
        }

        private static List<Activity> Snapshot(List<Activity> spans)
        {
            lock (spans)
            {
                return [.. spans];
            }
        }

        public async ValueTask DisposeAsync() => await _server.DisposeAsync();
    }
}
