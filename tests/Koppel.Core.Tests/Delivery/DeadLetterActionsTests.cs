using Koppel.Core.Delivery;
using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Runs;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;

namespace Koppel.Core.Tests.Delivery;

public class DeadLetterActionsTests
{
    private readonly CoreHarness _harness = new();
    private readonly DeadLetterActions _actions;
    private static readonly Caller Operator = Caller.ForAll("an.operator");

    public DeadLetterActionsTests() =>
        _actions = new DeadLetterActions(_harness.Ports, _harness.Ports, _harness.Ports, _harness.Ports, new RunLogWriter(_harness.Ports, _harness.Ports, _harness.Clock), _harness.Clock, NullLogger<DeadLetterActions>.Instance);

    /// <summary>An invoice whose delivery gave up after the attempt limit.</summary>
    private async Task<DeliveryEntry> DeadLetteredAsync()
    {
        await _harness.SeedAsync();
        _harness.Connector.FailTransiently(_harness.DeliveryOptions.MaxAttempts);
        var item = _harness.Ports.Drop(CoreHarness.DossierId, "demo-invoice.xml", CoreHarness.Sample("demo-invoice.xml"));
        await _harness.Ingest.HandleAsync(item, default);
        var outcomes = await _harness.DrainQueueAsync();
        Assert.Equal(DeliveryOutcomeKind.DeadLetter, outcomes[^1].Kind);
        return Assert.Single(_harness.Ports.Ledger);
    }

    [Fact]
    public async Task A_retried_dead_letter_gets_a_full_new_round_of_attempts_and_is_delivered_once()
    {
        var dead = await DeadLetteredAsync();

        var retried = await _actions.RetryAsync(CoreHarness.DossierId, dead.DeliveryId, Operator, default);
        await _harness.DrainQueueAsync();

        Assert.Equal((DeliveryStatus.Pending, 0, 1), (retried.Status, retried.Attempts, retried.Round));
        var entry = Assert.Single(_harness.Ports.Ledger);
        Assert.Equal(DeliveryStatus.Delivered, entry.Status);
        Assert.Equal(dead.DeliveryId, entry.DeliveryId);
        Assert.Single(_harness.Connector.Booked);
        var retriedEvent = Assert.Single(_harness.Ports.History, h => h.Event == HistoryEvent.Retried);
        Assert.Equal("an.operator", retriedEvent.Actor);
        Assert.Contains("dead-lettered after 4 attempt(s)", retriedEvent.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retried_delivery_sends_messages_whose_ids_a_broker_has_not_seen_in_the_first_round()
    {
        var dead = await DeadLetteredAsync();
        var firstRound = DeliveryRequest.NextAttemptOf(dead with { Attempts = 0 }, _harness.Clock.GetUtcNow()).MessageId;

        await _actions.RetryAsync(CoreHarness.DossierId, dead.DeliveryId, Operator, default);

        var (request, _) = Assert.Single(_harness.Ports.Queued);
        Assert.Equal((1, 1), (request.Attempt, request.Round));
        Assert.NotEqual(firstRound, request.MessageId);
        Assert.Equal(dead.DeliveryId, firstRound);
    }

    [Fact]
    public async Task A_discarded_dead_letter_is_closed_with_who_and_why_and_nothing_is_sent()
    {
        var dead = await DeadLetteredAsync();

        var discarded = await _actions.DiscardAsync(CoreHarness.DossierId, dead.DeliveryId, "  Booked by hand.  ", Operator, default);
        await _harness.DrainQueueAsync();

        Assert.Equal(DeliveryStatus.Discarded, discarded.Status);
        Assert.True(discarded.IsFinal);
        Assert.Empty(_harness.Connector.Booked);
        var history = Assert.Single(_harness.Ports.History, h => h.Event == HistoryEvent.Discarded);
        Assert.Equal("an.operator", history.Actor);
        Assert.Contains("(reason: Booked by hand.)", history.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_a_dead_lettered_or_failed_delivery_can_be_retried_or_discarded()
    {
        var dead = await DeadLetteredAsync();
        await _actions.DiscardAsync(CoreHarness.DossierId, dead.DeliveryId, null, Operator, default);

        var retry = await Assert.ThrowsAsync<ResourceConflictException>(() => _actions.RetryAsync(CoreHarness.DossierId, dead.DeliveryId, Operator, default));
        await Assert.ThrowsAsync<ResourceConflictException>(() => _actions.DiscardAsync(CoreHarness.DossierId, dead.DeliveryId, null, Operator, default));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => _actions.RetryAsync(CoreHarness.DossierId, "d-nothing", Operator, default));
        await Assert.ThrowsAsync<RequestValidationException>(() => _actions.DiscardAsync(CoreHarness.DossierId, dead.DeliveryId, new string('x', 501), Operator, default));
        Assert.Contains("is Discarded", retry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_caller_scoped_to_another_dossier_can_neither_retry_nor_discard()
    {
        var dead = await DeadLetteredAsync();
        var stranger = Caller.ForDossiers("other.firm", ["0200065765"]);

        await Assert.ThrowsAsync<AccessDeniedException>(() => _actions.RetryAsync(CoreHarness.DossierId, dead.DeliveryId, stranger, default));
        await Assert.ThrowsAsync<AccessDeniedException>(() => _actions.DiscardAsync(CoreHarness.DossierId, dead.DeliveryId, null, stranger, default));
        Assert.Equal(DeliveryStatus.DeadLettered, Assert.Single(_harness.Ports.Ledger).Status);
    }

    [Fact]
    public async Task A_discarded_line_of_a_run_still_counting_counts_as_skipped_so_the_run_closes_without_a_failure()
    {
        var ports = _harness.Ports;
        var now = _harness.Clock.GetUtcNow();
        await ((Ports.IRunLog)ports).AddAsync(
            new RunLogEntry { DossierId = CoreHarness.DossierId, RunId = "run-1", Category = RunCategory.Export, Status = RunStatus.Running, StartedAt = now, TotalDocuments = 2, ResultText = "" },
            default);
        foreach (var (id, status) in new[] { ("d-1", DeliveryStatus.Delivered), ("d-2", DeliveryStatus.Discarded) })
        {
            await ((Ports.IDeliveryLedger)ports).AddIfAbsentAsync(
                new DeliveryEntry { DossierId = CoreHarness.DossierId, DeliveryId = id, DocumentId = "doc-" + id, ConnectionId = "c1", Provider = "scripted", Status = status, RunId = "run-1" },
                default);
        }

        await new RunLogWriter(ports, ports, _harness.Clock).CountAsync(CoreHarness.DossierId, "run-1", default);

        var run = Assert.Single(ports.Runs);
        Assert.Equal((RunStatus.Succeeded, 1, 0, 1), (run.Status, run.SucceededDocuments, run.FailedDocuments, run.SkippedDocuments));
    }
}
