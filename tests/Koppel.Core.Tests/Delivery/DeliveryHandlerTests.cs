using Koppel.Core.Connectors;
using Koppel.Core.Delivery;
using Koppel.Core.Domain;
using Koppel.Core.Tests.Fakes;

namespace Koppel.Core.Tests.Delivery;

public class DeliveryHandlerTests
{
    private readonly CoreHarness _harness = new();

    private async Task<string> IngestInvoiceAsync()
    {
        var item = _harness.Ports.Drop(CoreHarness.DossierId, "demo-invoice.xml", CoreHarness.Sample("demo-invoice.xml"));
        var result = await _harness.Ingest.HandleAsync(item, default);
        return result.DocumentId!;
    }

    [Fact]
    public async Task A_connector_that_fails_transiently_three_times_delivers_exactly_once()
    {
        await _harness.SeedAsync();
        _harness.Connector.FailTransiently(3);
        var documentId = await IngestInvoiceAsync();

        var outcomes = await _harness.DrainQueueAsync();

        Assert.Single(_harness.Connector.Booked);
        Assert.Equal([DeliveryOutcomeKind.Retry, DeliveryOutcomeKind.Retry, DeliveryOutcomeKind.Retry, DeliveryOutcomeKind.Complete], outcomes.Select(o => o.Kind));
        var entry = Assert.Single(_harness.Ports.Ledger);
        Assert.Equal(DeliveryStatus.Delivered, entry.Status);
        Assert.Equal(4, entry.Attempts);
        Assert.StartsWith("booked-", entry.ProviderReference, StringComparison.Ordinal);
        var events = _harness.Ports.History.Where(h => h.DocumentId == documentId).Select(h => h.Event).ToList();
        Assert.Equal([HistoryEvent.Received, HistoryEvent.Queued, HistoryEvent.RetryScheduled, HistoryEvent.RetryScheduled, HistoryEvent.RetryScheduled, HistoryEvent.Delivered], events);
    }

    [Fact]
    public async Task Retries_wait_longer_each_time_and_honour_retry_after()
    {
        await _harness.SeedAsync();
        _harness.Connector.FailTransiently(1, retryAfter: TimeSpan.FromMinutes(7)).FailTransiently(2);
        await IngestInvoiceAsync();

        var outcomes = await _harness.DrainQueueAsync();

        var delays = outcomes.Where(o => o.Kind == DeliveryOutcomeKind.Retry).Select(o => o.RetryAfter).ToList();
        Assert.Equal(TimeSpan.FromMinutes(7), delays[0]);
        Assert.InRange(delays[1], TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));
        Assert.InRange(delays[2], TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40));
    }

    [Fact]
    public async Task A_permanent_failure_stops_at_once_with_its_reason()
    {
        await _harness.SeedAsync();
        _harness.Connector.Then(_ => DeliveryResult.Permanent("the provider rejected the invoice: duplicate number"));
        await IngestInvoiceAsync();

        var outcomes = await _harness.DrainQueueAsync();

        var outcome = Assert.Single(outcomes);
        Assert.Equal(DeliveryOutcomeKind.Complete, outcome.Kind);
        var entry = Assert.Single(_harness.Ports.Ledger);
        Assert.Equal(DeliveryStatus.Failed, entry.Status);
        Assert.Equal("the provider rejected the invoice: duplicate number", entry.LastError);
        Assert.Empty(_harness.Connector.Booked);
        Assert.Contains(_harness.Ports.Runs, r => r.Category == RunCategory.Delivery && r.Status == RunStatus.Failed && r.ResultText!.Contains("duplicate number", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deferred_delivery_waits_until_the_stated_time_without_spending_an_attempt()
    {
        await _harness.SeedAsync();
        var resumeAt = _harness.Clock.GetUtcNow().AddHours(9);
        for (var i = 0; i < 12; i++)
        {
            _harness.Connector.Then(_ => DeliveryResult.Deferred("deferred: the provider's daily quota is reached; resumes at 00:05", resumeAt));
        }

        var documentId = await IngestInvoiceAsync();

        var outcomes = await _harness.DrainQueueAsync();

        // More deferrals than the attempt limit, and still not dead-lettered: a quota is not a failure.
        Assert.Equal(12, outcomes.Count(o => o.Kind == DeliveryOutcomeKind.Retry));
        Assert.Equal(TimeSpan.FromHours(9), outcomes[0].RetryAfter);
        var entry = Assert.Single(_harness.Ports.Ledger);
        Assert.Equal(DeliveryStatus.Delivered, entry.Status);
        Assert.Equal(1, entry.Attempts);
        Assert.Contains(_harness.Ports.History, h => h.DocumentId == documentId && h.Event == HistoryEvent.Deferred && h.Detail!.Contains("resumes at 00:05", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_credentials_mark_the_connection_broken_and_the_next_delivery_heals_it()
    {
        await _harness.SeedAsync();
        _harness.Connector.Then(_ => DeliveryResult.ConnectionBroken("The API key was refused: create a new key in Yuki and save it on the connection."));
        await IngestInvoiceAsync();
        await _harness.DrainQueueAsync();

        var connection = Assert.Single(_harness.Ports.Connections);
        Assert.Equal(ConnectionHealthStatus.Broken, connection.Health.Status);
        Assert.Contains("API key was refused", connection.Health.Reason, StringComparison.Ordinal);

        var second = _harness.Ports.Drop(CoreHarness.DossierId, "demo-credit-note.xml", CoreHarness.Sample("demo-credit-note.xml"));
        await _harness.Ingest.HandleAsync(second, default);
        await _harness.DrainQueueAsync();

        Assert.Equal(ConnectionHealthStatus.Healthy, Assert.Single(_harness.Ports.Connections).Health.Status);
    }

    [Fact]
    public async Task A_delivery_that_keeps_failing_is_dead_lettered_after_the_attempt_limit()
    {
        await _harness.SeedAsync();
        _harness.Connector.FailTransiently(10);
        await IngestInvoiceAsync();

        var outcomes = await _harness.DrainQueueAsync();

        Assert.Equal(_harness.DeliveryOptions.MaxAttempts, outcomes.Count);
        Assert.Equal(DeliveryOutcomeKind.DeadLetter, outcomes[^1].Kind);
        var entry = Assert.Single(_harness.Ports.Ledger);
        Assert.Equal(DeliveryStatus.DeadLettered, entry.Status);
        Assert.Contains("503", entry.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_message_after_delivery_sends_nothing_again()
    {
        await _harness.SeedAsync();
        await IngestInvoiceAsync();
        var request = _harness.Ports.Queued.Single().Request;
        await _harness.DrainQueueAsync();

        var again = await _harness.Delivery.HandleAsync(request, default);

        Assert.Equal(DeliveryOutcomeKind.Complete, again.Kind);
        Assert.Single(_harness.Connector.Booked);
    }

    [Fact]
    public async Task A_delivery_claimed_by_a_live_worker_is_not_sent_by_a_second_one()
    {
        await _harness.SeedAsync();
        await IngestInvoiceAsync();
        var request = _harness.Ports.Queued.Single().Request;
        var entry = _harness.Ports.Ledger.Single();
        await ((Ports.IDeliveryLedger)_harness.Ports).ReplaceAsync(entry with { Status = DeliveryStatus.InProgress, ClaimedUntil = _harness.Clock.GetUtcNow().AddMinutes(5) }, default);

        var outcome = await _harness.Delivery.HandleAsync(request, default);

        Assert.Equal(DeliveryOutcomeKind.Retry, outcome.Kind);
        Assert.Empty(_harness.Connector.Booked);
    }

    [Fact]
    public async Task A_claim_left_by_a_crashed_worker_is_taken_over_after_it_expires()
    {
        await _harness.SeedAsync();
        await IngestInvoiceAsync();
        var request = _harness.Ports.Queued.Single().Request;
        var entry = _harness.Ports.Ledger.Single();
        await ((Ports.IDeliveryLedger)_harness.Ports).ReplaceAsync(entry with { Status = DeliveryStatus.InProgress, Attempts = 1, ClaimedUntil = _harness.Clock.GetUtcNow().AddMinutes(5) }, default);
        _harness.Clock.Advance(TimeSpan.FromMinutes(6));

        var outcome = await _harness.Delivery.HandleAsync(request, default);

        Assert.Equal(DeliveryOutcomeKind.Complete, outcome.Kind);
        Assert.Single(_harness.Connector.Booked);
        Assert.Equal(2, _harness.Ports.Ledger.Single().Attempts);
    }

    [Fact]
    public async Task Secret_values_echoed_by_a_provider_never_reach_the_ledger_history_or_run_log()
    {
        const string password = "Hunter2-very-secret";
        await _harness.SeedAsync(password);
        _harness.Connector.Then(_ => throw new InvalidOperationException($"login failed for password {password}"));
        _harness.Connector.Then(_ => DeliveryResult.Permanent($"rejected with credentials {password}"));
        await IngestInvoiceAsync();

        await _harness.DrainQueueAsync();

        var stored = string.Join('\n', _harness.Ports.Ledger.Select(e => e.LastError)
            .Concat(_harness.Ports.History.Select(h => h.Detail))
            .Concat(_harness.Ports.Runs.Select(r => r.ResultText)));
        Assert.DoesNotContain(password, stored, StringComparison.Ordinal);
        Assert.Contains("***", stored, StringComparison.Ordinal);
        Assert.Equal(password, System.Text.Json.JsonDocument.Parse(_harness.Ports.Secrets.Values.Single()).RootElement.GetProperty("password").GetString());
    }

    [Fact]
    public async Task Deliveries_of_a_deleted_connection_are_skipped_with_a_reason()
    {
        var connection = await _harness.SeedAsync();
        await IngestInvoiceAsync();
        await _harness.Connections.DeleteAsync(CoreHarness.DossierId, connection.Id, Security.Caller.System, default);

        await _harness.DrainQueueAsync();

        var entry = Assert.Single(_harness.Ports.Ledger);
        Assert.Equal(DeliveryStatus.Skipped, entry.Status);
        Assert.Empty(_harness.Ports.Secrets);
    }

    [Fact]
    public async Task The_sweeper_requeues_a_delivery_whose_worker_vanished()
    {
        await _harness.SeedAsync();
        await IngestInvoiceAsync();
        _harness.Ports.Queued.Clear(); // the message is lost
        var entry = _harness.Ports.Ledger.Single();
        await ((Ports.IDeliveryLedger)_harness.Ports).ReplaceAsync(entry with { Status = DeliveryStatus.InProgress, Attempts = 1, ClaimedUntil = _harness.Clock.GetUtcNow().AddMinutes(5) }, default);
        _harness.Clock.Advance(TimeSpan.FromMinutes(30));

        var requeued = await _harness.Sweeper.SweepAsync(default);
        await _harness.DrainQueueAsync();

        Assert.Equal(1, requeued);
        Assert.Single(_harness.Connector.Booked);
    }
}
