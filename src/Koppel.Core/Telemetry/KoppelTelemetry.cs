using System.Diagnostics;
using System.Diagnostics.Metrics;
using Koppel.Core.Domain;

namespace Koppel.Core.Telemetry;

/// <summary>
/// Koppel's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, and the names of what they record. The hosts
/// subscribe to <see cref="SourceName"/> and <see cref="MeterName"/> (OpenTelemetry); nothing here knows an exporter.
/// Tags carry ids (dossier, connection, document, delivery) and provider names, never a secret or a document's content.
/// </summary>
public static class KoppelTelemetry
{
    public const string SourceName = "Koppel";
    public const string MeterName = "Koppel";

    public static readonly ActivitySource Source = new(SourceName);
    public static readonly Meter Meter = new(MeterName);

    /// <summary>Span and tag names, in one place so the tests and the README say the same.</summary>
    public static class Spans
    {
        public const string Ingest = "koppel.ingest";
        public const string Enqueue = "koppel.enqueue";
        public const string Deliver = "koppel.deliver";
        public const string ConnectorCall = "koppel.connector.deliver";
        public const string Sftp = "koppel.sftp.upload";
        public const string Smtp = "koppel.smtp.send";
    }

    public static class Tags
    {
        public const string DossierId = "koppel.dossier.id";
        public const string ConnectionId = "koppel.connection.id";
        public const string DocumentId = "koppel.document.id";
        public const string DeliveryId = "koppel.delivery.id";
        public const string Attempt = "koppel.delivery.attempt";
        public const string Provider = "koppel.provider";
        public const string Kind = "koppel.document.kind";
        public const string Outcome = "koppel.outcome";
        public const string QuarantineCode = "koppel.quarantine.code";
        public const string InboxPath = "koppel.inbox.path";
        public const string Queue = "messaging.system";
    }

    /// <summary>Metric instruments; counters are tagged with provider and/or document kind.</summary>
    public static class Metrics
    {
        public static readonly Counter<long> DocumentsIngested = Meter.CreateCounter<long>("koppel.documents.ingested", "{document}", "Documents accepted into the archive.");
        public static readonly Counter<long> DocumentsQuarantined = Meter.CreateCounter<long>("koppel.documents.quarantined", "{document}", "Files refused and quarantined.");
        public static readonly Counter<long> DeliveriesDelivered = Meter.CreateCounter<long>("koppel.deliveries.delivered", "{delivery}", "Deliveries the target took.");
        public static readonly Counter<long> DeliveriesFailed = Meter.CreateCounter<long>("koppel.deliveries.failed", "{delivery}", "Delivery attempts that failed (permanent or to be retried).");
        public static readonly Counter<long> DeliveriesDeadLettered = Meter.CreateCounter<long>("koppel.deliveries.dead_lettered", "{delivery}", "Deliveries given up after the attempt limit.");
        public static readonly Histogram<double> DeliveryDuration = Meter.CreateHistogram<double>("koppel.delivery.duration", "s", "From the delivery being queued to it being delivered.");
        public static readonly Histogram<double> ProviderCallDuration = Meter.CreateHistogram<double>("koppel.provider.call.duration", "s", "One connector call to the provider or channel.");
        public static readonly Counter<long> QuotaUsed = Meter.CreateCounter<long>("koppel.quota.used", "{call}", "Calls taken from a provider's daily quota.");
    }

    /// <summary>The span of one file's ingestion (a root span when nothing called it, e.g. the inbox poller).</summary>
    public static Activity? StartIngest(string inboxPath)
    {
        var activity = Source.StartActivity(Spans.Ingest, ActivityKind.Internal);
        activity?.SetTag(Tags.InboxPath, inboxPath);
        return activity;
    }

    /// <summary>
    /// The producer span of sending a delivery request, and the request stamped with that span's W3C trace context
    /// (<see cref="DeliveryRequest.TraceParent"/>), so the delivery continues this trace on the other side of the queue.
    /// </summary>
    public static (Activity? Activity, DeliveryRequest Request) StartEnqueue(DeliveryRequest request, string queueSystem)
    {
        ArgumentNullException.ThrowIfNull(request);
        var activity = Source.StartActivity(Spans.Enqueue, ActivityKind.Producer);
        if (activity is not null)
        {
            activity.SetTag(Tags.Queue, queueSystem);
            TagDelivery(activity, request);
        }

        var current = activity ?? Activity.Current;
        return (activity, current is { IdFormat: ActivityIdFormat.W3C } ? request with { TraceParent = current.Id } : request);
    }

    /// <summary>The consumer span of one delivery attempt, child of the trace the request carries (when it carries one).</summary>
    public static Activity? StartDeliver(DeliveryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parent = request.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
        var activity = parent == default
            ? Source.StartActivity(Spans.Deliver, ActivityKind.Consumer)
            : Source.StartActivity(Spans.Deliver, ActivityKind.Consumer, parent);
        if (activity is not null)
        {
            TagDelivery(activity, request);
            activity.SetTag(Tags.Attempt, request.Attempt);
        }

        return activity;
    }

    /// <summary>The span around the connector's own call to the provider or channel.</summary>
    public static Activity? StartConnectorCall(string provider, string dossierId, string connectionId, string documentId)
    {
        var activity = Source.StartActivity(Spans.ConnectorCall, ActivityKind.Client);
        activity?.SetTag(Tags.Provider, provider).SetTag(Tags.DossierId, dossierId).SetTag(Tags.ConnectionId, connectionId).SetTag(Tags.DocumentId, documentId);
        return activity;
    }

    /// <summary>A client span for a channel without HTTP instrumentation (SFTP, SMTP): names the host, never a credential.</summary>
    public static Activity? StartChannelCall(string spanName, string host, int port)
    {
        var activity = Source.StartActivity(spanName, ActivityKind.Client);
        activity?.SetTag("server.address", host).SetTag("server.port", port);
        return activity;
    }

    /// <summary>Records calls taken from a daily quota; the provider is the quota scope's first word (<c>yuki-be-…</c>).</summary>
    public static void RecordQuotaUse(string scope, int calls)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var dash = scope.IndexOf('-', StringComparison.Ordinal);
        Metrics.QuotaUsed.Add(calls, new KeyValuePair<string, object?>(Tags.Provider, dash > 0 ? scope[..dash] : scope));
    }

    /// <summary>Marks a span failed with a reason in the user's words (already scrubbed of secrets by the caller).</summary>
    public static void Fail(Activity? activity, string outcome, string? reason)
    {
        activity?.SetTag(Tags.Outcome, outcome).SetStatus(ActivityStatusCode.Error, reason);
    }

    private static void TagDelivery(Activity activity, DeliveryRequest request) =>
        activity.SetTag(Tags.DossierId, request.DossierId)
            .SetTag(Tags.DocumentId, request.DocumentId)
            .SetTag(Tags.ConnectionId, request.ConnectionId)
            .SetTag(Tags.DeliveryId, request.DeliveryId);
}
