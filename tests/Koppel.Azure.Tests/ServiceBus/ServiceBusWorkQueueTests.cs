using System.Diagnostics;
using Azure.Messaging.ServiceBus;
using Koppel.Azure.ServiceBus;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Domain;
using Koppel.Core.Telemetry;

namespace Koppel.Azure.Tests.ServiceBus;

/// <summary>
/// What the Service Bus SDK is handed for a delivery request, checked through a recording <see cref="ServiceBusSender"/>
/// (the SDK's own test seam) and read back through <see cref="ServiceBusModelFactory"/> as the trigger would receive it.
/// That the broker honours these properties (sessions, duplicate detection, scheduling) only Azure proves.
/// </summary>
public sealed class When_delivery_work_is_sent_to_service_bus
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 13, 0, 0, TimeSpan.Zero);

    private readonly RecordingSender _sender = new();
    private readonly ServiceBusWorkQueue _queue;

    public When_delivery_work_is_sent_to_service_bus()
    {
        _queue = new ServiceBusWorkQueue(_sender, new FixedClock(Now));
    }

    [Fact]
    public async Task A_first_attempt_goes_to_the_dossiers_session_under_the_delivery_id_at_once()
    {
        var request = Request(attempt: 1);

        await _queue.EnqueueAsync(request, delay: null, default);

        var sent = Assert.Single(_sender.Sent);
        Assert.Equal("0123456749", sent.SessionId);
        Assert.Equal(request.DeliveryId, sent.MessageId);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal(default, sent.ScheduledEnqueueTime);
    }

    [Fact]
    public async Task A_retry_is_scheduled_for_now_plus_the_delay_under_its_own_message_id()
    {
        var retry = Request(attempt: 3);

        await _queue.EnqueueAsync(retry, TimeSpan.FromMinutes(10), default);

        var sent = Assert.Single(_sender.Sent);
        Assert.Equal(Now.AddMinutes(10), sent.ScheduledEnqueueTime);
        Assert.Equal(retry.DeliveryId + "-3", sent.MessageId);
        Assert.Equal("0123456749", sent.SessionId);
    }

    [Fact]
    public async Task A_second_send_of_the_same_attempt_carries_the_same_message_id_so_duplicate_detection_drops_it()
    {
        await _queue.EnqueueAsync(Request(attempt: 2), TimeSpan.FromSeconds(30), default);
        await _queue.EnqueueAsync(Request(attempt: 2) with { EnqueuedAt = Now.AddSeconds(5) }, TimeSpan.FromSeconds(30), default);

        Assert.Equal(_sender.Sent[0].MessageId, _sender.Sent[1].MessageId);
    }

    [Fact]
    public async Task The_trigger_reads_back_exactly_the_request_that_was_sent()
    {
        var request = Request(attempt: 2) with { RunId = "run-7" };
        await _queue.EnqueueAsync(request, TimeSpan.FromSeconds(30), default);
        var sent = Assert.Single(_sender.Sent);

        var received = ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: sent.Body, messageId: sent.MessageId, sessionId: sent.SessionId, contentType: sent.ContentType, deliveryCount: 1);

        Assert.Equal(request, DeliveryMessages.Read(received));
    }

    [Fact]
    public async Task The_delivery_read_back_by_the_trigger_continues_the_trace_of_the_document_that_queued_it()
    {
        // Other tests may trace at the same time: only this test's trace counts.
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KoppelTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        string traceId;
        using (var ingest = KoppelTelemetry.StartIngest("inbox/0123456749/invoice.xml"))
        {
            traceId = ingest!.TraceId.ToString();
            await _queue.EnqueueAsync(Request(attempt: 1), delay: null, default);
        }

        var sent = Assert.Single(_sender.Sent);
        var received = DeliveryMessages.Read(ServiceBusModelFactory.ServiceBusReceivedMessage(
            body: sent.Body, messageId: sent.MessageId, sessionId: sent.SessionId, contentType: sent.ContentType, deliveryCount: 1));
        Assert.NotNull(received);
        using (var deliver = KoppelTelemetry.StartDeliver(received))
        {
            Assert.Equal(traceId, deliver!.TraceId.ToString());
        }

        var trace = spans.Where(s => s.TraceId.ToString() == traceId).ToList();
        var enqueue = Assert.Single(trace, s => s.OperationName == KoppelTelemetry.Spans.Enqueue);
        var delivered = Assert.Single(trace, s => s.OperationName == KoppelTelemetry.Spans.Deliver);
        Assert.Equal(enqueue.SpanId, delivered.ParentSpanId);
        Assert.Equal("servicebus", enqueue.GetTagItem(KoppelTelemetry.Tags.Queue));
    }

    [Fact]
    public void A_message_that_is_not_a_delivery_request_reads_as_nothing()
    {
        var received = ServiceBusModelFactory.ServiceBusReceivedMessage(body: BinaryData.FromString("<not json/>"), messageId: "x");

        Assert.Null(DeliveryMessages.Read(received));
    }

    [Theory]
    [InlineData(ServiceBusFailureReason.ServiceBusy)]
    [InlineData(ServiceBusFailureReason.ServiceTimeout)]
    [InlineData(ServiceBusFailureReason.ServiceCommunicationProblem)]
    public async Task A_busy_or_unreachable_broker_is_a_transient_failure_naming_queue_and_namespace(ServiceBusFailureReason reason)
    {
        _sender.FailWith = new ServiceBusException("broker said no", reason);

        var error = await Assert.ThrowsAsync<WorkQueueUnavailableException>(() => _queue.EnqueueAsync(Request(1), null, default));

        Assert.Contains("'deliveries'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'koppel-test.servicebus.windows.net'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_queue_is_a_permanent_failure()
    {
        _sender.FailWith = new ServiceBusException("not found", ServiceBusFailureReason.MessagingEntityNotFound);

        var error = await Assert.ThrowsAsync<WorkQueueRejectedException>(() => _queue.EnqueueAsync(Request(1), null, default));

        Assert.Contains("MessagingEntityNotFound", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_identity_is_a_permanent_failure_that_names_the_role_it_needs()
    {
        _sender.FailWith = new UnauthorizedAccessException("token refused");

        var error = await Assert.ThrowsAsync<WorkQueueRejectedException>(() => _queue.EnqueueAsync(Request(1), null, default));

        Assert.Contains("Azure Service Bus Data Sender", error.Message, StringComparison.Ordinal);
    }

    private static DeliveryRequest Request(int attempt) => new()
    {
        DeliveryId = DeliveryIds.For("doc1", "conn1"),
        DossierId = "0123456749",
        DocumentId = "doc1",
        ConnectionId = "conn1",
        Attempt = attempt,
        EnqueuedAt = Now,
    };

    /// <summary>A sender that records instead of connecting; the SDK makes its members virtual for this.</summary>
    private sealed class RecordingSender : ServiceBusSender
    {
        public List<ServiceBusMessage> Sent { get; } = [];

        public Exception? FailWith { get; set; }

        public override string FullyQualifiedNamespace => "koppel-test.servicebus.windows.net";

        public override string EntityPath => "deliveries";

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            if (FailWith is not null)
            {
                throw FailWith;
            }

            Sent.Add(message);
            return Task.CompletedTask;
        }
    }
}
