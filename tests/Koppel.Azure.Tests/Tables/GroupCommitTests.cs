using Azure.Data.Tables;
using Koppel.Azure.Tables;
using Koppel.Azure.Tests.Infrastructure;

namespace Koppel.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class GroupCommitTests : IAsyncLifetime
{
    private readonly TestStorage _storage;
    private readonly KoppelTable _table;
    private readonly GroupCommit _commit;

    public GroupCommitTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _table = new KoppelTable(_storage.Clients.Table(_storage.Names.HistoryTable));
        _commit = new GroupCommit(_table);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Two_hundred_rows_added_at_once_to_one_partition_are_all_stored_and_acknowledged()
    {
        var added = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => _commit.TryAddAsync(Row("0403170701", $"r{i:D3}"), default)));

        Assert.All(added, Assert.True);
        Assert.Equal(200, await CountAsync("0403170701"));
    }

    [Fact]
    public async Task A_row_that_exists_already_is_refused_to_its_own_caller_while_the_rest_of_its_group_is_stored()
    {
        Assert.True(await _commit.TryAddAsync(Row("0403170701", "r005", "first"), default));

        var added = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => _commit.TryAddAsync(Row("0403170701", $"r{i:D3}", "second"), default)));

        Assert.False(added[5]);
        Assert.Equal(9, added.Count(a => a));
        Assert.Equal(10, await CountAsync("0403170701"));
        var kept = await (await _table.ClientAsync(default)).GetEntityAsync<TableEntity>("0403170701", "r005");
        Assert.Equal("first", kept.Value.GetString("Text")); // nothing is overwritten
    }

    [Fact]
    public async Task Rows_of_different_partitions_are_stored_in_their_own_groups()
    {
        var added = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => _commit.TryAddAsync(Row(i % 2 == 0 ? "0403170701" : "0202239951", $"r{i:D3}"), default)));

        Assert.All(added, Assert.True);
        Assert.Equal(15, await CountAsync("0403170701"));
        Assert.Equal(15, await CountAsync("0202239951"));
    }

    private static TableEntity Row(string partition, string row, string text = "x") => new(partition, row) { ["Text"] = text };

    private async Task<int> CountAsync(string partition)
    {
        var count = 0;
        await foreach (var _ in _table.QueryAsync(KoppelTable.PartitionFilter(partition), null, default))
        {
            count++;
        }

        return count;
    }
}
