using Koppel.Azure.Tables;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableReadBackIndexTests : IAsyncLifetime
{
    private readonly TestStorage _storage;

    public TableReadBackIndexTests(AzuriteFixture azurite) => _storage = azurite.CreateIsolatedStorage();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private TableReadBackIndex NewIndex() => new(_storage.Clients.Table(_storage.Names.ReadBackTable));

    private static ReadBackItem Item(string dossier, string connection, string delivery) => new()
    {
        DossierId = dossier,
        ConnectionId = connection,
        DeliveryId = delivery,
        DocumentId = "doc-" + delivery,
        Provider = "dropbox",
        Reference = $"/Koppel/{dossier}/SalesInvoice/2026/{delivery}.xml",
        DeliveredAt = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task A_run_reads_each_connections_open_deliveries_together_and_a_second_add_changes_nothing()
    {
        var index = NewIndex();
        await index.AddIfAbsentAsync(Item("0403170701", "c2", "d1"), default);
        await index.AddIfAbsentAsync(Item("0202239951", "c9", "d7"), default);
        await index.AddIfAbsentAsync(Item("0403170701", "c1", "d3"), default);
        await index.AddIfAbsentAsync(Item("0403170701", "c2", "d0"), default);
        await index.AddIfAbsentAsync(Item("0403170701", "c1", "d3") with { Reference = "/elsewhere.xml" }, default);

        var listed = await index.ListAsync(default).ToListAsync();

        Assert.Equal(
            ["0202239951/c9/d7", "0403170701/c1/d3", "0403170701/c2/d0", "0403170701/c2/d1"],
            listed.Select(i => $"{i.DossierId}/{i.ConnectionId}/{i.DeliveryId}"));
        var read = listed[1];
        Assert.Equal("/Koppel/0403170701/SalesInvoice/2026/d3.xml", read.Reference);
        Assert.Equal("doc-d3", read.DocumentId);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero), read.DeliveredAt);
        Assert.Equal(ReadBackState.Waiting, read.State);
        Assert.True(read.Reported);
        Assert.Null(read.ChangedAt);
    }

    [Fact]
    public async Task Of_two_runs_holding_the_same_item_only_the_first_claims_its_change_and_a_removed_item_is_gone_for_good()
    {
        var index = NewIndex();
        await index.AddIfAbsentAsync(Item("0403170701", "c1", "d1"), default);
        var seenByBoth = Assert.Single(await index.ListAsync(default).ToListAsync());
        var changedAt = new DateTimeOffset(2026, 11, 3, 9, 30, 0, TimeSpan.Zero);

        var claimed = await index.ReplaceAsync(seenByBoth with { State = ReadBackState.Processed, Reported = false, ChangedAt = changedAt }, default);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => index.ReplaceAsync(seenByBoth with { State = ReadBackState.Processed, Reported = false }, default));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => index.RemoveAsync(seenByBoth, default));

        var stored = Assert.Single(await index.ListAsync(default).ToListAsync());
        Assert.Equal(ReadBackState.Processed, stored.State);
        Assert.False(stored.Reported);
        Assert.Equal(changedAt, stored.ChangedAt);

        await index.RemoveAsync(claimed, default);
        Assert.Empty(await index.ListAsync(default).ToListAsync());
        await index.RemoveAsync(claimed, default); // gone already: nothing to do
    }
}
