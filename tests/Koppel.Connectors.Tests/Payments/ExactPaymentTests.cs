using Koppel.Core.Domain;
using Koppel.Core.Payments;

namespace Koppel.Connectors.Tests.Payments;

/// <summary>Payments coming back from Exact Online's receivables list, paged under Exact's rate limits.</summary>
public sealed class ExactPaymentTests : IAsyncLifetime
{
    private PaymentsRig _rig = null!;
    private Connection _exact = null!;

    public async Task InitializeAsync()
    {
        _rig = await PaymentsRig.StartAsync();
        _exact = await _rig.ConnectExactAsync();
    }

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private async Task<string> DeliverDemoInvoiceAsync()
    {
        var id = await _rig.IngestAsync("demo-invoice.xml", PaymentsRig.Invoice);
        await _rig.DeliverAllAsync();
        Assert.Contains(_rig.Exact.Rows(PaymentsRig.Division, "salesentry/SalesEntries"), r => (string?)r["YourRef"] == "KOP-2026-0042");
        return id;
    }

    [Fact]
    public async Task A_paid_invoice_is_matched_by_the_entry_number_recorded_at_delivery_and_recorded_once()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        var reference = Assert.Single(_rig.Ports.Ledger, e => e.DocumentId == invoice).ProviderReference;
        Assert.StartsWith("26700001", reference, StringComparison.Ordinal);
        await _rig.PollAsync(_exact);

        _rig.Exact.MarkPaid("KOP-2026-0042");
        var summary = await _rig.PollAsync(_exact);
        await _rig.PollAsync(_exact);

        Assert.Equal(1, summary!.Paid);
        var payment = Assert.Single(_rig.PaymentsOf(invoice));
        Assert.Equal(246.47m, payment.Amount);
        Assert.Equal("exact-online", payment.Source);
        Assert.Equal($"Exact Online: payment of EUR 246.47 received on {PaymentsRig.Today}.", Assert.Single(_rig.PaymentHistory(invoice)).Detail);
    }

    [Fact]
    public async Task A_partly_paid_invoice_shows_the_amount_still_open_in_Exact()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        _rig.Exact.MarkPartlyPaid("KOP-2026-0042", 46.47m);

        var summary = await _rig.PollAsync(_exact);

        Assert.Equal(1, summary!.PartlyPaid);
        Assert.Equal(46.47m, Assert.Single(_rig.PaymentsOf(invoice)).Amount);
        Assert.Equal(200m, (await _rig.InvoiceAsync(invoice)).OpenAmount);
    }

    [Fact]
    public async Task A_credit_noted_invoice_is_recorded_as_settled_by_the_credit_note()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        await _rig.IngestAsync("credit-note.xml", PaymentsRig.CreditNoteForDemoInvoice);
        await _rig.DeliverAllAsync();
        await _rig.PollAsync(_exact);

        _rig.Exact.MarkCreditNoted("KOP-2026-0042", "KOP-2026-CN-0007");
        var summary = await _rig.PollAsync(_exact);

        Assert.Equal(1, summary!.CreditNoted);
        Assert.Equal(SettlementKind.CreditNote, Assert.Single(_rig.PaymentsOf(invoice)).Kind);
        Assert.Equal(InvoicePaymentStatus.CreditNoted, (await _rig.InvoiceAsync(invoice)).Status);
    }

    [Fact]
    public async Task The_receivables_list_is_read_page_by_page_and_other_items_stay_unmatched()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        _rig.Exact.ReceivablesPageSize = 5;
        for (var i = 0; i < 12; i++)
        {
            _rig.Exact.AddOtherReceivable(PaymentsRig.Division, $"EXT-{i:D3}", 10m + i);
        }

        _rig.Exact.MarkPartlyPaid("KOP-2026-0042", 6.47m);
        var before = _rig.Exact.Requests.Count(r => r.Contains("ReceivablesList", StringComparison.Ordinal));

        var summary = await _rig.PollAsync(_exact);

        Assert.Equal(3, _rig.Exact.Requests.Count(r => r.Contains("ReceivablesList", StringComparison.Ordinal)) - before);
        Assert.Equal(3, summary!.Calls);
        Assert.Equal(12, summary.OtherOpenItems);
        Assert.Equal(1, summary.PartlyPaid);
        Assert.Equal(6.47m, Assert.Single(_rig.PaymentsOf(invoice)).Amount);
    }

    [Fact]
    public async Task Exact_saying_the_day_is_used_up_defers_the_poll_without_recording_anything()
    {
        var invoice = await DeliverDemoInvoiceAsync();
        _rig.Exact.RespondTooManyRequests(1, DateTimeOffset.UtcNow.AddMinutes(1), dailyUsedUp: true);

        var summary = await _rig.PollAsync(_exact);

        Assert.NotEqual(RunStatus.Succeeded, summary!.Status);
        Assert.Empty(_rig.PaymentsOf(invoice));
    }
}
