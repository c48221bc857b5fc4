using Koppel.Azure.ServiceBus;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Delivery;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Microsoft.Extensions.Logging.Abstractions;

namespace Koppel.Azure.Tests.ServiceBus;

public sealed class When_a_delivery_message_is_settled
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private readonly RecordingQueue _queue = new();
    private readonly RecordingSettlement _settlement = new();
    private readonly ServiceBusSettlementRules _rules;

    public When_a_delivery_message_is_settled()
    {
        _rules = new ServiceBusSettlementRules(_queue, new FixedClock(Now), NullLogger<ServiceBusSettlementRules>.Instance);
    }

    [Fact]
    public async Task A_finished_delivery_completes_the_message()
    {
        await _rules.SettleAsync(Request(attempt: 1), DeliveryOutcome.Complete("Delivered as 42."), _settlement, CancellationToken.None);

        Assert.Equal(["complete"], _settlement.Calls);
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task A_retry_schedules_the_next_attempt_under_its_own_message_id_before_completing()
    {
        await _rules.SettleAsync(Request(attempt: 2), DeliveryOutcome.Retry(TimeSpan.FromMinutes(4), "HTTP 503"), _settlement, CancellationToken.None);

        var (next, delay) = Assert.Single(_queue.Sent);
        Assert.Equal(3, next.Attempt);
        Assert.Equal("d-1-3", next.MessageId);
        Assert.Equal("0403170701", next.DossierId);
        Assert.Equal(Now, next.EnqueuedAt);
        Assert.Equal(TimeSpan.FromMinutes(4), delay);
        Assert.Equal(["complete"], _settlement.Calls);
    }

    [Fact]
    public async Task A_retry_that_cannot_be_scheduled_leaves_the_message_unsettled_for_the_broker_to_redeliver()
    {
        _queue.FailWith = new WorkQueueUnavailableException("Service Bus is busy.", null);

        await Assert.ThrowsAsync<WorkQueueUnavailableException>(() =>
            _rules.SettleAsync(Request(attempt: 1), DeliveryOutcome.Retry(TimeSpan.FromSeconds(30), "timeout"), _settlement, CancellationToken.None));

        Assert.Empty(_settlement.Calls);
    }

    [Fact]
    public async Task A_dead_letter_carries_the_reason_and_what_was_being_delivered()
    {
        await _rules.SettleAsync(Request(attempt: 8), DeliveryOutcome.DeadLetter("Gave up after 8 attempts."), _settlement, CancellationToken.None);

        var call = Assert.Single(_settlement.Calls);
        Assert.Equal("dead-letter: Gave up after 8 attempts.", call[..call.IndexOf('|', StringComparison.Ordinal)]);
        Assert.Contains("Delivery d-1 of dossier 0403170701", call, StringComparison.Ordinal);
        Assert.Contains("attempt 8", call, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dead_letter_texts_are_cut_to_what_the_broker_accepts()
    {
        await _rules.SettleAsync(Request(attempt: 1), DeliveryOutcome.DeadLetter(new string('x', 10_000)), _settlement, CancellationToken.None);

        Assert.All(_settlement.DeadLetters, text => Assert.True(text.Length <= ServiceBusSettlementRules.MaxDeadLetterTextLength));
        Assert.EndsWith("…", _settlement.DeadLetters[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_message_is_dead_lettered_at_once()
    {
        await _rules.DeadLetterUnreadableAsync(_settlement, CancellationToken.None);

        Assert.StartsWith($"dead-letter: {ServiceBusSettlementRules.UnreadableMessageReason}|", Assert.Single(_settlement.Calls), StringComparison.Ordinal);
    }

    private static DeliveryRequest Request(int attempt) => new()
    {
        DeliveryId = "d-1",
        DossierId = "0403170701",
        DocumentId = "doc-1",
        ConnectionId = "c-1",
        Attempt = attempt,
        EnqueuedAt = Now.AddMinutes(-10),
    };

    private sealed class RecordingQueue : IWorkQueue
    {
        public List<(DeliveryRequest Request, TimeSpan? Delay)> Sent { get; } = [];

        public Exception? FailWith { get; set; }

        public Task EnqueueAsync(DeliveryRequest request, TimeSpan? delay, CancellationToken cancellationToken)
        {
            if (FailWith is not null)
            {
                throw FailWith;
            }

            Sent.Add((request, delay));
            return Task.CompletedTask;
        }
    }

    private sealed class RecordingSettlement : IServiceBusMessageSettlement
    {
        public List<string> Calls { get; } = [];

        public List<string> DeadLetters { get; } = [];

        public Task CompleteAsync(CancellationToken cancellationToken)
        {
            Calls.Add("complete");
            return Task.CompletedTask;
        }

        public Task DeadLetterAsync(string reason, string description, CancellationToken cancellationToken)
        {
            Calls.Add($"dead-letter: {reason}|{description}");
            DeadLetters.AddRange([reason, description]);
            return Task.CompletedTask;
        }
    }
}
