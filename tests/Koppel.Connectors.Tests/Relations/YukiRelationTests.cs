using Koppel.Connectors.Tests.Payments;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Core.Relations;

namespace Koppel.Connectors.Tests.Relations;

public sealed class YukiRelationTests : IAsyncLifetime
{
    private const string Domain = "peeters-domain";
    private PaymentsRig _rig = null!;

    public async Task InitializeAsync() => _rig = await PaymentsRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private IRelationStore Store => _rig.Get<IRelationStore>();

    [Fact]
    public async Task Contacts_are_read_a_hundred_per_page_and_the_next_sync_asks_only_for_what_changed_since()
    {
        for (var i = 0; i < 250; i++)
        {
            _rig.Yuki.AddContact(Domain, $"C{i:000}", $"Klant {i:000}", vatNumber: $"BE0{400000000 + i}");
        }

        var yuki = await _rig.ConnectYukiAsync();
        var first = await _rig.SyncRelationsAsync(yuki);
        _rig.Yuki.Now = DateTime.UtcNow;
        _rig.Yuki.AddContact(Domain, "C999", "Nieuwe Klant BV", vatNumber: "BE0477472701");
        var second = await _rig.SyncRelationsAsync(yuki);

        Assert.True(first!.Full);
        Assert.Equal(250, first.Read);
        Assert.Equal(3, _rig.Yuki.Calls.Count(c => c == "Contact.SearchContacts") - 1);
        Assert.Equal(3, first.LedgerAccounts);
        Assert.Equal(3, first.VatCodes);
        Assert.False(second!.Full);
        Assert.Equal(1, second.Read);
        Assert.Equal(1, second.Added);
        Assert.Equal("C999", Assert.Single(await Store.FindAsync(PaymentsRig.DossierId, yuki.Id, PartyKey.EnterpriseNumber, "0477472701", default)).Code);
        Assert.Equal(21m, (await Store.ListVatCodesAsync(PaymentsRig.DossierId, yuki.Id, PageRequest.First(), default)).Items.Single(v => v.Code == "V21").Rate);
        Assert.Equal(RunCategory.RelationSync, _rig.Ports.Runs.OrderBy(r => r.StartedAt).Last().Category);
    }

    [Fact]
    public async Task With_the_domain_quota_used_up_the_sync_asks_nothing_more_and_says_when_it_resumes()
    {
        _rig.Yuki.AddContact(Domain, "C001", "Klant");
        var yuki = await _rig.ConnectYukiAsync();
        _rig.Yuki.ExhaustQuota(Domain);

        var sync = await _rig.SyncRelationsAsync(yuki);

        Assert.Equal(RunStatus.PartiallySucceeded, sync!.Status);
        Assert.Contains("quota", sync.ResultText, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, sync.Read);
        Assert.DoesNotContain("Contact.SearchContacts", _rig.Yuki.Calls);
    }

    [Fact]
    public async Task A_booked_invoice_names_the_synced_contact_matched_by_VAT_number_and_the_history_says_so()
    {
        _rig.Yuki.AddContact(Domain, "K042", "Koffiehuis Noord (Gent)", vatNumber: "BE 0876.543.270");
        _rig.Yuki.AddContact(Domain, "K043", "Koffiehuis Noord CommV");
        var yuki = await _rig.ConnectYukiAsync();
        await _rig.SyncRelationsAsync(yuki);

        var documentId = await _rig.IngestAsync("demo-invoice.xml", PaymentsRig.Invoice);
        await _rig.DeliverAllAsync();

        var booked = Assert.Single(_rig.Yuki.SalesInvoices);
        Assert.Equal("K042", booked.Value("ContactCode"));
        Assert.Equal(2, _rig.Yuki.Contacts.Count);
        var line = Assert.Single(_rig.PartyHistory(documentId));
        Assert.Equal("Customer matched by VAT number BE0876543270 → Yuki contact K042 (Koffiehuis Noord (Gent)).", line.Detail);
    }

    [Fact]
    public async Task An_unmatched_customer_is_refused_when_the_connection_does_not_create_customers()
    {
        _rig.Yuki.AddContact(Domain, "C001", "Iemand Anders");
        var yuki = await _rig.ConnectYukiAsync(("createParties", "false"));
        await _rig.SyncRelationsAsync(yuki);

        await _rig.IngestAsync("demo-invoice.xml", PaymentsRig.Invoice);
        await _rig.DeliverAllAsync();

        Assert.Empty(_rig.Yuki.SalesInvoices);
        var failed = Assert.Single(_rig.Ports.History, h => h.Event == HistoryEvent.Failed);
        Assert.Contains("'Koffiehuis Noord CommV' (VAT BE0876543270) is not among the Yuki contacts synced", failed.Detail, StringComparison.Ordinal);
        Assert.Single(_rig.Yuki.Contacts);
    }

    [Fact]
    public async Task An_unmatched_customer_is_created_by_the_booking_when_allowed_and_the_history_says_it_was_created()
    {
        _rig.Yuki.AddContact(Domain, "C001", "Iemand Anders");
        var yuki = await _rig.ConnectYukiAsync();
        await _rig.SyncRelationsAsync(yuki);

        var documentId = await _rig.IngestAsync("demo-invoice.xml", PaymentsRig.Invoice);
        await _rig.DeliverAllAsync();

        Assert.Single(_rig.Yuki.SalesInvoices);
        Assert.Contains(_rig.Yuki.Contacts, c => c.FullName == "Koffiehuis Noord CommV");
        Assert.Contains("not found among the synced Yuki contacts; created in Yuki", Assert.Single(_rig.PartyHistory(documentId)).Detail, StringComparison.Ordinal);
    }
}
