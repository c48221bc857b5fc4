using Koppel.Azure.Tables;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Payments;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TablePaymentStoreTests : IAsyncLifetime
{
    private const string Dossier = "0403170701";
    private readonly TestStorage _storage;

    public TablePaymentStoreTests(AzuriteFixture azurite) => _storage = azurite.CreateIsolatedStorage();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private TablePaymentStore NewStore() => new(_storage.Clients.Table(_storage.Names.PaymentsTable));

    private TablePollSlotClaims NewClaims() => new(_storage.Clients.Table(_storage.Names.PollSlotsTable));

    private static TrackedInvoice Invoice(string documentId, decimal amount = 246.47m) => new()
    {
        DossierId = Dossier,
        DocumentId = documentId,
        Number = "KOP-2026-0042",
        IssueDate = new DateOnly(2026, 11, 2),
        Amount = amount,
        StructuredReference = "090933755493",
        CreditedInvoiceNumbers = ["A", "B"],
        SeenOpenBy = ["c1"],
    };

    private static PaymentRecord Payment(string documentId, string paymentId, decimal amount) => new()
    {
        DossierId = Dossier,
        DocumentId = documentId,
        PaymentId = paymentId,
        Kind = SettlementKind.Payment,
        Amount = amount,
        Date = new DateOnly(2026, 11, 3),
        Source = "yuki",
        SourceName = "Yuki",
        Status = PaymentRecordStatus.Provisional,
    };

    [Fact]
    public async Task A_followed_invoice_keeps_its_money_exact_and_only_open_ones_are_listed()
    {
        var store = NewStore();
        var open = await store.AddInvoiceIfAbsentAsync(Invoice("doc-open", 1234567.89m), default);
        var closed = await store.AddInvoiceIfAbsentAsync(Invoice("doc-closed"), default);
        await store.ReplaceInvoiceAsync(closed with { Closed = true, SettledAmount = 246.47m, Status = InvoicePaymentStatus.Paid }, default);

        var listed = await store.ListOpenAsync(Dossier, default).ToListAsync();

        var read = Assert.Single(listed);
        Assert.Equal("doc-open", read.DocumentId);
        Assert.Equal(1234567.89m, read.Amount);
        Assert.Equal(["A", "B"], read.CreditedInvoiceNumbers);
        Assert.Equal(["c1"], read.SeenOpenBy);
        Assert.Equal(new DateOnly(2026, 11, 2), read.IssueDate);
        Assert.Equal(open.Number, read.Number);
    }

    [Fact]
    public async Task Adding_an_invoice_twice_keeps_the_first_and_a_stale_replace_is_a_conflict()
    {
        var store = NewStore();
        var first = await store.AddInvoiceIfAbsentAsync(Invoice("doc-1"), default);
        var again = await store.AddInvoiceIfAbsentAsync(Invoice("doc-1", 1m), default);
        Assert.Equal(246.47m, again.Amount);

        await store.ReplaceInvoiceAsync(first with { SettledAmount = 10m }, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.ReplaceInvoiceAsync(first with { SettledAmount = 20m }, default));
    }

    [Fact]
    public async Task Two_stores_adding_the_same_payment_record_it_once()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => NewStore().TryAddPaymentAsync(Payment("doc-1", "p1", 26.40m), default)));

        Assert.Single(results, r => r);
        var stored = Assert.Single(await NewStore().ListPaymentsAsync(Dossier, "doc-1", default));
        Assert.Equal(26.40m, stored.Amount);
        Assert.Equal(new DateOnly(2026, 11, 3), stored.Date);
        var confirmed = await NewStore().ReplacePaymentAsync(stored with { Status = PaymentRecordStatus.Confirmed, ConfirmedBy = "yuki" }, default);
        Assert.Equal(PaymentRecordStatus.Confirmed, Assert.Single(await NewStore().ListPaymentsAsync(Dossier, "doc-1", default)).Status);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => NewStore().ReplacePaymentAsync(stored with { Status = PaymentRecordStatus.Corrected }, default));
        Assert.NotEqual(stored.ETag, confirmed.ETag);
    }

    [Fact]
    public async Task Payments_page_per_dossier_and_per_document()
    {
        var store = NewStore();
        await store.AddInvoiceIfAbsentAsync(Invoice("doc-1"), default);
        for (var i = 0; i < 5; i++)
        {
            await store.TryAddPaymentAsync(Payment("doc-1", $"p{i}", i + 1), default);
            await store.TryAddPaymentAsync(Payment("doc-2", $"p{i}", i + 1), default);
        }

        var first = await store.ListPaymentsPageAsync(Dossier, null, new PageRequest(4), default);
        var rest = await store.ListPaymentsPageAsync(Dossier, null, new PageRequest(100, first.ContinuationToken), default);
        var ofOne = await store.ListPaymentsPageAsync(Dossier, "doc-2", new PageRequest(100), default);

        Assert.Equal(4, first.Items.Count);
        Assert.Equal(6, rest.Items.Count);
        Assert.Null(rest.ContinuationToken);
        Assert.Equal(5, ofOne.Items.Count);
        Assert.All(ofOne.Items, p => Assert.Equal("doc-2", p.DocumentId));
    }

    [Fact]
    public async Task A_poll_slot_is_claimed_by_one_of_several_hosts_and_taken_over_only_when_left_unqueued()
    {
        var now = new DateTimeOffset(2026, 3, 29, 5, 0, 0, TimeSpan.Zero);
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => NewClaims().TryClaimAsync(Dossier, "20260329T0500Z", now, TimeSpan.FromMinutes(15), default)));
        Assert.Single(claims, c => c);

        Assert.False(await NewClaims().TryClaimAsync(Dossier, "20260329T0500Z", now.AddMinutes(5), TimeSpan.FromMinutes(15), default));
        Assert.True(await NewClaims().TryClaimAsync(Dossier, "20260329T0500Z", now.AddMinutes(20), TimeSpan.FromMinutes(15), default));

        await NewClaims().MarkQueuedAsync(Dossier, "20260329T0500Z", default);
        Assert.False(await NewClaims().TryClaimAsync(Dossier, "20260329T0500Z", now.AddHours(5), TimeSpan.FromMinutes(15), default));
        Assert.True(await NewClaims().TryClaimAsync(Dossier, "20260329T1200Z", now.AddHours(7), TimeSpan.FromMinutes(15), default));
    }
}
