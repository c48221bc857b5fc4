using Koppel.Connectors.Tests.Payments;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Core.Relations;

namespace Koppel.Connectors.Tests.Relations;

public sealed class ExactRelationTests : IAsyncLifetime
{
    private const int Division = PaymentsRig.Division;
    private PaymentsRig _rig = null!;

    public async Task InitializeAsync() => _rig = await PaymentsRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private IRelationStore Store => _rig.Get<IRelationStore>();

    [Fact]
    public async Task Accounts_are_read_from_the_sync_endpoint_page_by_page_and_the_next_sync_asks_from_the_last_timestamp()
    {
        _rig.Exact.SyncPageSize = 2;
        for (var i = 0; i < 4; i++)
        {
            _rig.Exact.AddRelation(Division, $"{100 + i}", $"Klant {i}", vatNumber: $"BE0{400000000 + i}");
        }

        var supplier = _rig.Exact.AddRelation(Division, "200", "Leverancier NV", vatNumber: "BE0477472701", customer: false, supplier: true);
        _rig.Exact.AddRelation(Division, "300", "Prospect BV", customer: false);
        _rig.Exact.AddVatCode(Division, "4", "BTW 21 %", 0.21m);
        var exact = await _rig.ConnectExactAsync();

        var first = await _rig.SyncRelationsAsync(exact);
        _rig.Exact.ChangeAccount(Division, supplier, "Name", "Leverancier Peeters NV");
        var second = await _rig.SyncRelationsAsync(exact);

        Assert.Equal(5, first!.Read);
        Assert.Equal(4, _rig.Exact.Requests.Count(r => r.Contains("sync/CRM/Accounts", StringComparison.Ordinal)) - 1);
        Assert.Equal(2, first.LedgerAccounts);
        Assert.Equal(1, first.VatCodes);
        Assert.Equal(1, second!.Read);
        Assert.Equal(1, second.Updated);
        var party = Assert.Single(await Store.FindAsync(PaymentsRig.DossierId, exact.Id, PartyKey.VatNumber, "BE0477472701", default));
        Assert.Equal(("200", "Leverancier Peeters NV", PartyKind.Supplier), (party.Code, party.Name, party.Kind));
        Assert.Equal(21m, Assert.Single((await Store.ListVatCodesAsync(PaymentsRig.DossierId, exact.Id, PageRequest.First(), default)).Items).Rate);
        Assert.InRange(_rig.Exact.PeakCallsPerDivisionMinute, 1, 60);
    }

    [Fact]
    public async Task A_booked_invoice_uses_the_synced_account_matched_by_VAT_number_and_the_history_says_so()
    {
        var account = _rig.Exact.AddRelation(Division, "K042", "Koffiehuis Noord (Gent)", vatNumber: "BE 0876.543.270");
        var exact = await _rig.ConnectExactAsync();
        await _rig.SyncRelationsAsync(exact);

        var documentId = await _rig.IngestAsync("demo-invoice.xml", PaymentsRig.Invoice);
        await _rig.DeliverAllAsync();

        var entry = Assert.Single(_rig.Exact.Rows(Division, "salesentry/SalesEntries"));
        Assert.Equal(account.ToString(), (string?)entry["Customer"]);
        Assert.Single(_rig.Exact.Rows(Division, "crm/Accounts"));
        Assert.DoesNotContain(_rig.Exact.Requests, r => r.Contains("crm/Accounts?", StringComparison.Ordinal) && r.StartsWith("GET", StringComparison.Ordinal));
        Assert.Equal("Customer matched by VAT number BE0876543270 → Exact Online account K042 (Koffiehuis Noord (Gent)).", Assert.Single(_rig.PartyHistory(documentId)).Detail);
    }

    [Fact]
    public async Task An_unknown_customer_is_refused_when_the_connection_does_not_create_relations()
    {
        var exact = await _rig.ConnectExactAsync(("createParties", "false"));
        await _rig.SyncRelationsAsync(exact);

        await _rig.IngestAsync("demo-invoice.xml", PaymentsRig.Invoice);
        await _rig.DeliverAllAsync();

        Assert.Empty(_rig.Exact.Rows(Division, "salesentry/SalesEntries"));
        Assert.Empty(_rig.Exact.Rows(Division, "crm/Accounts"));
        Assert.Contains("does not create relations ('createParties' is false)", Assert.Single(_rig.Ports.History, h => h.Event == HistoryEvent.Failed).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exact_asking_to_slow_down_stops_the_sync_and_the_run_log_says_so()
    {
        _rig.Exact.AddRelation(Division, "100", "Klant");
        var exact = await _rig.ConnectExactAsync();
        _rig.Exact.RespondTooManyRequests(10, DateTimeOffset.UtcNow.AddSeconds(30));

        var sync = await _rig.SyncRelationsAsync(exact);

        Assert.NotEqual(RunStatus.Succeeded, sync!.Status);
        Assert.Equal(0, sync.Read);
        Assert.StartsWith("Full sync from Exact Online stopped:", sync.ResultText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_IBAN_search_finds_the_Exact_supplier_that_has_that_bank_account()
    {
        var supplier = _rig.Exact.AddRelation(Division, "200", "Drukkerij Peeters NV", vatNumber: "BE0477472701", customer: false, supplier: true);
        _rig.Exact.AddBankAccount(Division, supplier, "BE68 5390 0754 7034");
        var customer = _rig.Exact.AddRelation(Division, "100", "Koffiehuis Noord");
        _rig.Exact.AddBankAccount(Division, customer, "BE71 0961 2345 6769");
        _rig.Exact.AddRelation(Division, "101", "Klant zonder rekening");
        var exact = await _rig.ConnectExactAsync();

        var sync = await _rig.SyncRelationsAsync(exact);

        Assert.Equal(3, sync!.Read);
        var found = await _rig.Get<RelationService>().SearchAsync(PaymentsRig.DossierId, new PartySearch(Iban: "be68 5390 0754 7034"), PageRequest.First(), Koppel.Core.Security.Caller.System, default);
        var party = Assert.Single(found.Items);
        Assert.Equal(("Drukkerij Peeters NV", supplier.ToString("D"), exact.Id), (party.Name, party.ProviderId, party.ConnectionId));
        Assert.Equal(["BE68539007547034"], party.Ibans);
        Assert.Empty((await _rig.Get<RelationService>().SearchAsync(PaymentsRig.DossierId, new PartySearch(Iban: "BE12 3456 7890 1234"), PageRequest.First(), Koppel.Core.Security.Caller.System, default)).Items);

        // One call asked for the bank accounts of the whole page of accounts.
        Assert.Single(_rig.Exact.Requests, r => r.Contains("crm/BankAccounts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_customer_deleted_in_Exact_disappears_from_the_relations_at_the_next_sync()
    {
        var gone = _rig.Exact.AddRelation(Division, "100", "Koffiehuis Noord", vatNumber: "BE0876543270");
        _rig.Exact.AddBankAccount(Division, gone, "BE71 0961 2345 6769");
        _rig.Exact.AddRelation(Division, "101", "Bakkerij Zuid", vatNumber: "BE0477472701");
        var exact = await _rig.ConnectExactAsync();
        await _rig.SyncRelationsAsync(exact);
        Assert.Single(await Store.FindAsync(PaymentsRig.DossierId, exact.Id, PartyKey.Iban, "BE71096123456769", default));

        _rig.Exact.DeleteAccount(Division, gone);
        var next = await _rig.SyncRelationsAsync(exact);

        Assert.Equal((false, 1, RunStatus.Succeeded), (next!.Full, next.Removed, next.Status));
        Assert.Contains("1 removed (deleted at the provider)", next.ResultText, StringComparison.Ordinal);
        Assert.Null(await Store.GetPartyAsync(PaymentsRig.DossierId, exact.Id, gone.ToString("D"), default));
        Assert.Empty(await Store.FindAsync(PaymentsRig.DossierId, exact.Id, PartyKey.VatNumber, "BE0876543270", default));
        Assert.Empty(await Store.FindAsync(PaymentsRig.DossierId, exact.Id, PartyKey.Iban, "BE71096123456769", default));
        Assert.Single(await Store.FindAsync(PaymentsRig.DossierId, exact.Id, PartyKey.VatNumber, "BE0477472701", default));

        // The deletion is read once: the sync after asks Exact only for what was deleted since.
        var after = await _rig.SyncRelationsAsync(exact);
        Assert.Equal(0, after!.Removed);
        var asks = _rig.Exact.Requests.Where(r => r.Contains("sync/Deleted", StringComparison.Ordinal))
            .Select(r => long.Parse(System.Text.RegularExpressions.Regex.Match(Uri.UnescapeDataString(r), @"Timestamp gt (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
        Assert.Equal(3, asks.Count);
        Assert.True(asks[2] > asks[1], string.Join(", ", asks)); // from the deletion it read, not from the start again
    }
}
