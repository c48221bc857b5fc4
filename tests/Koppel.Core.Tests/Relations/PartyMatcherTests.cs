using Koppel.Core.Connectors;
using Koppel.Core.Relations;

namespace Koppel.Core.Tests.Relations;

public sealed class PartyMatcherTests
{
    private const string Dossier = "0403170701";
    private const string Connection = "yuki-1";
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
    private readonly InMemoryRelationStore _store = new();

    private async Task AddAsync(string id, string name, string? vat = null, string? enterprise = null, string? iban = null, PartyKind kind = PartyKind.Customer, bool active = true)
    {
        await _store.UpsertPartyAsync(Party.From(Dossier, Connection, new PartyData { ProviderId = id, Code = id, Name = name, VatNumber = vat, EnterpriseNumber = enterprise, Ibans = iban is null ? [] : [iban], Kind = kind, Active = active }, Now), default);
        await _store.SaveSyncStateAsync(new RelationSyncState { DossierId = Dossier, ConnectionId = Connection, Watermark = "1", LastSyncAt = Now }, default);
    }

    private Task<PartyLookup> MatchAsync(PartyToMatch wanted) => new PartyMatcher(_store).MatchAsync(Dossier, Connection, wanted, default);

    [Fact]
    public async Task The_VAT_number_wins_over_a_party_with_the_same_name()
    {
        await AddAsync("C001", "Bakkerij Janssens", vat: "BE0477472701");
        await AddAsync("C002", "Janssens NV");

        var match = (await MatchAsync(new PartyToMatch(PartyKind.Customer, "Janssens NV", "BE 0477.472.701"))).Match!;

        Assert.Equal("C001", match.Party.Code);
        Assert.Equal(PartyKey.VatNumber, match.Key);
        Assert.Equal("Customer matched by VAT number BE0477472701 → Yuki contact C001 (Bakkerij Janssens).", match.Describe("customer", "Yuki", "contact"));
    }

    [Fact]
    public async Task Without_a_VAT_match_the_enterprise_number_then_the_IBAN_then_the_exact_name_is_used()
    {
        await AddAsync("E1", "Firma A", enterprise: "0477.472.701");
        await AddAsync("I1", "Firma B", iban: "BE68 5390 0754 7034");
        await AddAsync("N1", "Firma C");

        Assert.Equal(("E1", PartyKey.EnterpriseNumber), Found(await MatchAsync(new PartyToMatch(PartyKind.Customer, "Firma C", "BE0477472701", Ibans: ["BE68539007547034"]))));
        Assert.Equal(("I1", PartyKey.Iban), Found(await MatchAsync(new PartyToMatch(PartyKind.Customer, "Firma C", "BE0999999999", Ibans: ["be68539007547034"]))));
        Assert.Equal(("N1", PartyKey.Name), Found(await MatchAsync(new PartyToMatch(PartyKind.Customer, "FIRMA  c."))));
        Assert.Null((await MatchAsync(new PartyToMatch(PartyKind.Customer, "Firma"))).Match);
    }

    [Fact]
    public async Task Among_parties_with_the_same_key_an_active_one_of_the_right_kind_is_chosen()
    {
        await AddAsync("A1", "Dupont", vat: "BE0477472701", kind: PartyKind.Customer, active: false);
        await AddAsync("A2", "Dupont", vat: "BE0477472701", kind: PartyKind.Supplier);
        await AddAsync("A3", "Dupont", vat: "BE0477472701", kind: PartyKind.Both);

        Assert.Equal("A3", (await MatchAsync(new PartyToMatch(PartyKind.Customer, "Dupont", "BE0477472701"))).Match!.Party.Code);
    }

    [Fact]
    public async Task A_connection_never_synced_says_so_rather_than_no_match() =>
        Assert.False((await MatchAsync(new PartyToMatch(PartyKind.Customer, "Dupont"))).Synced);

    private static (string?, PartyKey) Found(PartyLookup lookup) => (lookup.Match?.Party.Code, lookup.Match?.Key ?? (PartyKey)(-1));
}
