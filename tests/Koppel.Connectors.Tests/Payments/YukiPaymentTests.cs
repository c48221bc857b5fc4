using Koppel.Core.Domain;
using Koppel.Core.Payments;

namespace Koppel.Connectors.Tests.Payments;

/// <summary>Payments coming back from Yuki: deliver → Yuki marks paid → poll → recorded once → history line.</summary>
public sealed class YukiPaymentTests : IAsyncLifetime
{
    private PaymentsRig _rig = null!;
    private Connection _yuki = null!;

    public async Task InitializeAsync()
    {
        _rig = await PaymentsRig.StartAsync();
        _yuki = await _rig.ConnectYukiAsync();
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private async Task<string> DeliverDemoInvoiceAsync()
    {
        var id = await _rig.IngestAsync("demo-invoice.xml", PaymentsRig.Invoice);
        await _rig.DeliverAllAsync();
        Assert.Contains(_rig.Yuki.SalesInvoices, i => i.Reference == "KOP-2026-0042");
        return id;
    }

    [Fact]
    public async Task A_paid_invoice_is_recorded_once_with_a_history_line_in_the_users_words()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        var open = await _rig.PollAsync(_yuki);
        Assert.Equal(1, open!.StillOpen);

        _rig.Yuki.MarkPaid("KOP-2026-0042");
        var paid = await _rig.PollAsync(_yuki);
        await _rig.PollAsync(_yuki);

        Assert.Equal(1, paid!.Paid);
        var payment = Assert.Single(_rig.PaymentsOf(invoice));
        Assert.Equal(246.47m, payment.Amount);
        Assert.Equal("yuki", payment.Source);
        Assert.Equal(PaymentRecordStatus.Confirmed, payment.Status);
        var line = Assert.Single(_rig.PaymentHistory(invoice));
        Assert.Equal($"Yuki: payment of EUR 246.47 received on {PaymentsRig.Today}.", line.Detail);
        Assert.Equal(InvoicePaymentStatus.Paid, (await _rig.InvoiceAsync(invoice)).Status);
        Assert.True((await _rig.InvoiceAsync(invoice)).Closed);
    }

    [Fact]
    public async Task Each_poll_costs_one_outstanding_items_call_for_the_administration_however_many_invoices()
    {
        await DeliverDemoInvoiceAsync();
        await _rig.IngestAsync("second.xml", PaymentsRig.InvoiceNumbered("KOP-2026-0043", "+++000/0000/10101+++"));
        await _rig.IngestAsync("third.xml", PaymentsRig.InvoiceNumbered("KOP-2026-0044", "+++000/0000/20202+++"));
        await _rig.DeliverAllAsync();
        var before = _rig.Yuki.Calls.Count;

        var summary = await _rig.PollAsync(_yuki);

        Assert.Equal(3, summary!.Checked);
        Assert.Equal(["Accounting.OutstandingDebtorItems"], _rig.Yuki.Calls.Skip(before));
        Assert.DoesNotContain("Accounting.CheckOutstandingItemAdmin", _rig.Yuki.Calls.Skip(before));
    }

    [Fact]
    public async Task A_partly_paid_invoice_records_what_came_in_and_says_what_is_still_open()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        _rig.Yuki.MarkPartlyPaid("KOP-2026-0042", 100m);

        var summary = await _rig.PollAsync(_yuki);

        Assert.Equal(1, summary!.PartlyPaid);
        Assert.Equal(100m, Assert.Single(_rig.PaymentsOf(invoice)).Amount);
        Assert.Equal($"Yuki: payment of EUR 100.00 received on {PaymentsRig.Today}; EUR 146.47 still open.", Assert.Single(_rig.PaymentHistory(invoice)).Detail);
        var tracked = await _rig.InvoiceAsync(invoice);
        Assert.Equal(InvoicePaymentStatus.PartlyPaid, tracked.Status);
        Assert.Equal(146.47m, tracked.OpenAmount);

        _rig.Yuki.MarkPartlyPaid("KOP-2026-0042", 146.47m);
        await _rig.PollAsync(_yuki);

        Assert.Equal([100m, 146.47m], _rig.PaymentsOf(invoice).Select(p => p.Amount).Order());
        Assert.Equal(InvoicePaymentStatus.Paid, (await _rig.InvoiceAsync(invoice)).Status);
    }

    [Fact]
    public async Task An_invoice_settled_by_a_credit_note_is_credit_noted_not_paid()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        var creditNote = await _rig.IngestAsync("credit-note.xml", PaymentsRig.CreditNoteForDemoInvoice);
        await _rig.DeliverAllAsync();
        await _rig.PollAsync(_yuki);

        _rig.Yuki.MarkCreditNoted("KOP-2026-0042", "KOP-2026-CN-0007");
        var summary = await _rig.PollAsync(_yuki);

        Assert.Equal(1, summary!.CreditNoted);
        Assert.Equal(0, summary.Paid);
        var settlement = Assert.Single(_rig.PaymentsOf(invoice));
        Assert.Equal(SettlementKind.CreditNote, settlement.Kind);
        Assert.Equal("Yuki: settled by credit note KOP-2026-CN-0007 (EUR 246.47).", Assert.Single(_rig.PaymentHistory(invoice)).Detail);
        Assert.Equal(InvoicePaymentStatus.CreditNoted, (await _rig.InvoiceAsync(invoice)).Status);
        Assert.Empty(_rig.PaymentsOf(creditNote));
    }

    [Fact]
    public async Task Open_items_made_in_Yuki_itself_stay_unmatched_and_are_counted_not_recorded()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        _rig.Yuki.AddOtherOutstandingItem(PaymentsRig.Administration, "YUKI-0001", 99.99m);
        _rig.Yuki.AddOtherOutstandingItem(PaymentsRig.Administration, "YUKI-0002", 12.10m);

        var summary = await _rig.PollAsync(_yuki);

        Assert.Equal(2, summary!.OtherOpenItems);
        Assert.Equal(1, summary.StillOpen);
        Assert.Empty(_rig.Payments.AllPayments);
        Assert.Empty(_rig.PaymentHistory(invoice));
    }

    [Fact]
    public async Task An_invoice_Yuki_never_listed_is_unmatched_and_not_taken_for_paid()
    {
        // Handed over unprocessed: Yuki does not list it as an open item, which must not read as "paid".
        var invoice = await _rig.IngestAsync("demo-invoice.xml", PaymentsRig.Invoice);
        var connection = _yuki with { Options = new Dictionary<string, string>(_yuki.Options) { ["process"] = "false" } };
        await ((Koppel.Core.Ports.IConnectionRepository)_rig.Ports).UpsertAsync(connection, CancellationToken.None);
        await _rig.DeliverAllAsync();

        var summary = await _rig.PollAsync(_yuki);

        Assert.Equal(1, summary!.Unmatched);
        Assert.Empty(_rig.PaymentsOf(invoice));
        Assert.Equal(InvoicePaymentStatus.Open, (await _rig.InvoiceAsync(invoice)).Status);
    }

    [Fact]
    public async Task Overlapping_polls_record_a_payment_once()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        await _rig.PollAsync(_yuki);
        _rig.Yuki.MarkPaid("KOP-2026-0042");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => _rig.PollAsync(_yuki))));

        Assert.Single(_rig.PaymentsOf(invoice));
        Assert.Single(_rig.PaymentHistory(invoice));
    }

    [Fact]
    public async Task A_bank_statement_records_the_payment_before_the_poll_which_then_confirms_it()
    {
        var invoice = await DeliverDemoInvoiceAsync();

        await _rig.IngestAsync("demo.cod", PaymentsRig.Sample("demo.cod"));

        var provisional = Assert.Single(_rig.PaymentsOf(invoice));
        Assert.Equal(PaymentRecordStatus.Provisional, provisional.Status);
        Assert.Equal(PaymentSources.Bank, provisional.Source);
        Assert.Equal(246.47m, provisional.Amount);
        Assert.Equal(new DateOnly(2026, 11, 2), provisional.Date);
        var bankLine = Assert.Single(_rig.PaymentHistory(invoice));
        Assert.StartsWith("Bank: payment of EUR 246.47 received on 02-11-2026 (bank statement BE68539007547034 042, movement 1)", bankLine.Detail, StringComparison.Ordinal);
        Assert.Contains("before the accounting package", bankLine.Detail, StringComparison.Ordinal);

        // Yuki has not booked the bank yet: the payment waits.
        await _rig.PollAsync(_yuki);
        Assert.Equal(PaymentRecordStatus.Provisional, Assert.Single(_rig.PaymentsOf(invoice)).Status);

        _rig.Yuki.MarkPaid("KOP-2026-0042");
        await _rig.PollAsync(_yuki);

        var confirmed = Assert.Single(_rig.PaymentsOf(invoice));
        Assert.Equal(PaymentRecordStatus.Confirmed, confirmed.Status);
        Assert.Equal("yuki", confirmed.ConfirmedBy);
        Assert.Equal(
            "Yuki confirmed the payment of EUR 246.47 received on 02-11-2026; the bank statement BE68539007547034 042, movement 1 showed it first.",
            _rig.PaymentHistory(invoice)[^1].Detail);
        Assert.True((await _rig.InvoiceAsync(invoice)).Closed);
    }

    [Fact]
    public async Task The_poll_corrects_a_bank_payment_Yuki_does_not_show()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        await _rig.IngestAsync("demo.cod", PaymentsRig.Sample("demo.cod"));
        _rig.Yuki.MarkPartlyPaid("KOP-2026-0042", 40m);

        await _rig.PollAsync(_yuki);

        var payments = _rig.PaymentsOf(invoice);
        Assert.Equal(PaymentRecordStatus.Corrected, payments.Single(p => p.Source == PaymentSources.Bank).Status);
        Assert.Equal(40m, payments.Single(p => p.Source == "yuki").Amount);
        Assert.Contains(_rig.PaymentHistory(invoice), h => h.Detail!.StartsWith("Yuki does not show the payment of EUR 246.47", StringComparison.Ordinal));
        Assert.Equal(206.47m, (await _rig.InvoiceAsync(invoice)).OpenAmount);
    }

    [Fact]
    public async Task Each_poll_is_a_process_payments_line_in_the_run_log()
    {
        await DeliverDemoInvoiceAsync();
        _rig.Yuki.MarkPaid("KOP-2026-0042");
        await _rig.PollAsync(_yuki);

        var run = Assert.Single(_rig.Ports.Runs, r => r.Category == RunCategory.PaymentPoll);
        Assert.Equal("process payments", run.Category.Describe());
        Assert.Equal("yuki", run.Provider);
        Assert.Equal(RunStatus.Succeeded, run.Status);
        Assert.Equal(1, run.TotalDocuments);
        Assert.NotNull(run.EndedAt);
        Assert.Contains("1 open invoice(s) checked at Yuki: 0 paid", run.ResultText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_used_up_Yuki_quota_is_said_in_the_run_log_and_nothing_is_recorded()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        _rig.Yuki.ExhaustQuota("peeters-domain");

        var summary = await _rig.PollAsync(_yuki);

        Assert.Equal(RunStatus.PartiallySucceeded, summary!.Status);
        Assert.Contains("quota", summary.ResultText, StringComparison.Ordinal);
        Assert.DoesNotContain(PaymentsRig.YukiKey, string.Join("\n", _rig.Ports.Runs.Select(r => r.ResultText)), StringComparison.Ordinal);
        Assert.Empty(_rig.PaymentsOf(invoice));
    }

    [Fact]
    public async Task A_poll_refused_for_a_bad_key_marks_the_connection_broken_and_a_poll_that_works_heals_it()
    {
        await DeliverDemoInvoiceAsync();
        _rig.Yuki.FaultNextCall = Koppel.ProviderFakes.Yuki.YukiFake.InvalidKeyFault;

        await _rig.PollAsync(_yuki);
        var broken = await ConnectionAsync();
        Assert.Equal(ConnectionHealthStatus.Broken, broken.Health.Status);
        Assert.DoesNotContain(PaymentsRig.YukiKey, broken.Health.Reason, StringComparison.Ordinal);

        await _rig.PollAsync(_yuki);
        Assert.Equal(ConnectionHealthStatus.Healthy, (await ConnectionAsync()).Health.Status);
    }

    [Fact]
    public async Task Yuki_reports_the_calls_Koppel_counted_for_the_domain_and_the_daily_check_flags_it_above_80_percent()
    {
        await DeliverDemoInvoiceAsync();
        await _rig.PollAsync(_yuki);
        var connector = (Koppel.Connectors.Yuki.YukiConnector)_rig.Get<Koppel.Core.Connectors.ConnectorCatalog>().Find(Koppel.Connectors.Yuki.YukiConnector.ProviderKey)!;
        var (settings, _) = await _rig.Get<Koppel.Core.Dossiers.ConnectionService>().LoadSettingsAsync(await ConnectionAsync(), CancellationToken.None);
        var today = connector.QuotaDay(DateTimeOffset.UtcNow);

        var usage = await connector.ReadQuotaUsageAsync(settings, today, CancellationToken.None);
        Assert.Equal(_rig.Yuki.CallsOf("peeters-domain"), usage.Used);
        Assert.Equal(1000, usage.Limit);

        // The rest of a busy day, spent by other dossiers of the same domain.
        Assert.True(await _rig.Get<Koppel.Core.Ports.IDailyQuota>().TryConsumeAsync(usage.Scope, today, 820 - usage.Used, 1000, CancellationToken.None));
        await _rig.Get<Koppel.Core.Dossiers.QuotaWatchJob>().RunAsync(CancellationToken.None);

        var flagged = await ConnectionAsync();
        Assert.StartsWith("The Yuki domain of this connection used 820 of its 1000 daily calls today so far", flagged.Health.Warning, StringComparison.Ordinal);
        Assert.Equal(ConnectionHealthStatus.Healthy, flagged.Health.Status);
    }

    [Fact]
    public async Task Poll_now_queues_one_poll_of_the_connection_and_a_second_ask_in_the_same_window_is_refused_saying_when()
    {
        var scheduler = _rig.Get<PaymentPollScheduler>();
        var dossier = (await _rig.Get<Koppel.Core.Ports.IDossierRepository>().GetAsync(PaymentsRig.DossierId, CancellationToken.None))!;

        Assert.Equal(1, await scheduler.PollNowAsync(dossier, CancellationToken.None));
        var refused = await Assert.ThrowsAsync<Koppel.Core.Errors.ResourceConflictException>(() => scheduler.PollNowAsync(dossier, CancellationToken.None));

        Assert.Equal(_yuki.Id, Assert.Single(_rig.PollJobs).ConnectionId);
        Assert.Contains("ask again after", refused.Message, StringComparison.Ordinal);
    }

    private async Task<Connection> ConnectionAsync() =>
        (await _rig.Get<Koppel.Core.Ports.IConnectionRepository>().GetAsync(PaymentsRig.DossierId, _yuki.Id, CancellationToken.None))!;
}
