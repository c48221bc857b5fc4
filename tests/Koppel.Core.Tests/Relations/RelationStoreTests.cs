using Koppel.Core.Connectors;
using Koppel.Core.Ports;
using Koppel.Core.Relations;

namespace Koppel.Core.Tests.Relations;

public sealed class RelationStoreTests
{
    private const string Dossier = "0403170701";
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 1, 0, 0, TimeSpan.Zero);
    private readonly InMemoryRelationStore _store = new();

    internal static Party Janssens(string connection = "yuki-1", string vat = "BE 0477.472.701", DateTimeOffset? modified = null) => Party.From(Dossier, connection, new PartyData
    {
        ProviderId = "6f1c0d5e-0000-0000-0000-000000000001",
        Code = "C001",
        Name = "Bakkerij Janssens BV",
        Kind = PartyKind.Customer,
        VatNumber = vat,
        Ibans = ["BE68 5390 0754 7034"],
        ModifiedAt = modified,
    }, Now);

    [Theory]
    [InlineData("be0477472701", null, null, null)]
    [InlineData(null, "0477.472.701", null, null)]
    [InlineData(null, null, "be68539007547034", null)]
    [InlineData(null, null, null, "bakkerij jans")]
    public async Task A_party_is_found_by_each_key_however_the_search_writes_it(string? vat, string? enterprise, string? iban, string? name)
    {
        await _store.UpsertPartyAsync(Janssens(), default);
        await _store.UpsertPartyAsync(Party.From(Dossier, "yuki-1", new PartyData { ProviderId = "other", Name = "Slagerij Peeters", VatNumber = "BE0403170701" }, Now), default);

        var page = await _store.SearchAsync(Dossier, new PartySearch(vat, enterprise, iban, name), PageRequest.First(), default);

        Assert.Equal("C001", Assert.Single(page.Items).Code);
    }

    [Fact]
    public async Task A_search_reads_the_rows_of_its_key_not_every_party()
    {
        for (var i = 0; i < 200; i++)
        {
            await _store.UpsertPartyAsync(Party.From(Dossier, "yuki-1", new PartyData { ProviderId = $"p{i}", Name = $"Klant {i}", VatNumber = $"BE0{400000000 + i}" }, Now), default);
        }

        await _store.UpsertPartyAsync(Janssens(), default);
        var before = _store.RowsRead;

        Assert.Single((await _store.SearchAsync(Dossier, new PartySearch(VatNumber: "BE0477472701"), PageRequest.First(), default)).Items);
        Assert.True(_store.RowsRead - before <= 2, $"the search read {_store.RowsRead - before} rows");
    }

    [Fact]
    public async Task A_party_whose_VAT_number_changed_is_no_longer_found_by_the_old_one()
    {
        await _store.UpsertPartyAsync(Janssens(), default);
        Assert.Equal(UpsertOutcome.Updated, await _store.UpsertPartyAsync(Janssens(vat: "BE0403170701"), default));

        Assert.Empty((await _store.SearchAsync(Dossier, new PartySearch(VatNumber: "BE0477472701"), PageRequest.First(), default)).Items);
        Assert.Single((await _store.SearchAsync(Dossier, new PartySearch(VatNumber: "BE0403170701"), PageRequest.First(), default)).Items);
    }

    [Fact]
    public async Task An_older_copy_of_a_party_does_not_overwrite_a_newer_one()
    {
        await _store.UpsertPartyAsync(Janssens(vat: "BE0403170701", modified: Now), default);

        Assert.Equal(UpsertOutcome.Older, await _store.UpsertPartyAsync(Janssens(modified: Now.AddHours(-1)), default));
        Assert.Equal("BE0403170701", (await _store.GetPartyAsync(Dossier, "yuki-1", "6f1c0d5e-0000-0000-0000-000000000001", default))!.VatNumber);
        Assert.Equal(UpsertOutcome.Unchanged, await _store.UpsertPartyAsync(Janssens(vat: "BE0403170701", modified: Now), default));
    }

    [Fact]
    public async Task The_party_list_pages_with_a_continuation_token()
    {
        for (var i = 0; i < 5; i++)
        {
            await _store.UpsertPartyAsync(Party.From(Dossier, "yuki-1", new PartyData { ProviderId = $"p{i}", Name = $"Klant {i}" }, Now), default);
        }

        var first = await _store.SearchAsync(Dossier, new PartySearch(), PageRequest.First(3), default);
        var second = await _store.SearchAsync(Dossier, new PartySearch(), new PageRequest(3, first.ContinuationToken), default);

        Assert.Equal(3, first.Items.Count);
        Assert.Equal(2, second.Items.Count);
        Assert.Null(second.ContinuationToken);
        Assert.Empty(first.Items.Select(p => p.ProviderId).Intersect(second.Items.Select(p => p.ProviderId)));
    }

    [Fact]
    public async Task A_search_value_that_means_nothing_finds_nothing()
    {
        await _store.UpsertPartyAsync(Janssens(), default);

        Assert.Empty((await _store.SearchAsync(Dossier, new PartySearch(EnterpriseNumber: "not a number"), PageRequest.First(), default)).Items);
    }
}
