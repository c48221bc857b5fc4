using Koppel.Azure.Tables;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Connectors;
using Koppel.Core.Ports;
using Koppel.Core.Relations;

namespace Koppel.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableRelationStoreTests : IAsyncLifetime
{
    private const string Dossier = "0403170701";
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
    private readonly TestStorage _storage;

    public TableRelationStoreTests(AzuriteFixture azurite) => _storage = azurite.CreateIsolatedStorage();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private TableRelationStore NewStore() => new(_storage.Clients.Table(_storage.Names.RelationsTable));

    private static Party Janssens(string vat, DateTimeOffset? modified = null) => Party.From(Dossier, "yuki-1", new PartyData
    {
        ProviderId = "6f1c0d5e-0000-0000-0000-000000000001",
        Code = "C001",
        Name = "Bakkerij Janssens BV",
        Kind = PartyKind.Customer,
        VatNumber = vat,
        Ibans = ["BE68 5390 0754 7034"],
        ModifiedAt = modified,
    }, Now);

    [Fact]
    public async Task A_party_is_found_by_each_normalised_key_and_not_by_a_key_it_lost()
    {
        var store = NewStore();
        await store.UpsertPartyAsync(Janssens("BE 0477.472.701"), default);
        await store.UpsertPartyAsync(Party.From(Dossier, "yuki-1", new PartyData { ProviderId = "p2", Name = "Slagerij Peeters", VatNumber = "BE0403170701" }, Now), default);

        Assert.Equal("C001", Assert.Single((await store.SearchAsync(Dossier, new PartySearch(VatNumber: "be0477472701"), PageRequest.First(), default)).Items).Code);
        Assert.Single((await store.SearchAsync(Dossier, new PartySearch(EnterpriseNumber: "0477.472.701"), PageRequest.First(), default)).Items);
        Assert.Single((await store.SearchAsync(Dossier, new PartySearch(Iban: "be68 5390 0754 7034"), PageRequest.First(), default)).Items);
        Assert.Single((await store.SearchAsync(Dossier, new PartySearch(Name: "bakkerij"), PageRequest.First(), default)).Items);
        Assert.Equal(2, (await store.SearchAsync(Dossier, new PartySearch(), PageRequest.First(), default)).Items.Count);

        Assert.Equal(UpsertOutcome.Updated, await store.UpsertPartyAsync(Janssens("BE0999999999"), default));
        Assert.Empty(await store.FindAsync(Dossier, "yuki-1", PartyKey.VatNumber, "BE0477472701", default));
        Assert.Equal("C001", Assert.Single(await store.FindAsync(Dossier, "yuki-1", PartyKey.VatNumber, "BE0999999999", default)).Code);
    }

    [Fact]
    public async Task A_party_deleted_at_the_provider_is_removed_with_every_key_it_was_found_by()
    {
        var store = NewStore();
        await store.UpsertPartyAsync(Janssens("BE 0477.472.701"), default);
        await store.UpsertPartyAsync(Party.From(Dossier, "yuki-1", new PartyData { ProviderId = "p2", Name = "Slagerij Peeters", VatNumber = "BE0403170701" }, Now), default);

        Assert.True(await store.RemovePartyAsync(Dossier, "yuki-1", "6f1c0d5e-0000-0000-0000-000000000001", default));

        Assert.Null(await store.GetPartyAsync(Dossier, "yuki-1", "6f1c0d5e-0000-0000-0000-000000000001", default));
        Assert.Empty((await store.SearchAsync(Dossier, new PartySearch(Iban: "BE68539007547034"), PageRequest.First(), default)).Items);
        Assert.Empty((await store.SearchAsync(Dossier, new PartySearch(Name: "bakkerij"), PageRequest.First(), default)).Items);
        Assert.Empty(await store.FindAsync(Dossier, "yuki-1", PartyKey.EnterpriseNumber, "0477472701", default));
        Assert.Equal("Slagerij Peeters", Assert.Single((await store.SearchAsync(Dossier, new PartySearch(), PageRequest.First(), default)).Items).Name);
        Assert.False(await store.RemovePartyAsync(Dossier, "yuki-1", "6f1c0d5e-0000-0000-0000-000000000001", default));
    }

    [Fact]
    public async Task Overlapping_upserts_keep_one_party_and_the_newest_copy()
    {
        var store = NewStore();
        await Task.WhenAll(
            store.UpsertPartyAsync(Janssens("BE0477472701", Now), default),
            NewStore().UpsertPartyAsync(Janssens("BE0403170701", Now.AddHours(1)), default),
            NewStore().UpsertPartyAsync(Janssens("BE0477472701", Now), default));

        var all = await store.SearchAsync(Dossier, new PartySearch(), PageRequest.First(), default);
        Assert.Equal("BE0403170701", Assert.Single(all.Items).VatNumber);
        Assert.Empty(await store.FindAsync(Dossier, null, PartyKey.VatNumber, "BE0477472701", default));

        await store.ReplaceVatCodesAsync(Dossier, "yuki-1", [new VatCode { Code = "V21", Rate = 21m }, new VatCode { Code = "V6", Rate = 6m }], default);
        await store.ReplaceVatCodesAsync(Dossier, "yuki-1", [new VatCode { Code = "V21", Rate = 21m }], default);
        Assert.Equal(21m, Assert.Single((await store.ListVatCodesAsync(Dossier, null, PageRequest.First(), default)).Items).Rate);
    }
}
