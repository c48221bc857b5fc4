using Koppel.Azure.Tables;
using Koppel.Azure.Tests.Infrastructure;

namespace Koppel.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableDailyQuotaTests : IAsyncLifetime
{
    private static readonly DateOnly Day = new(2026, 12, 1);
    private readonly TestStorage _storage;

    public TableDailyQuotaTests(AzuriteFixture azurite) => _storage = azurite.CreateIsolatedStorage();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    private TableDailyQuota NewInstance() => new(_storage.Clients.Table(_storage.Names.QuotaTable));

    [Fact]
    public async Task Instances_racing_for_the_last_calls_of_a_day_never_take_more_than_the_limit()
    {
        // Four Koppel instances share one domain's counter and each wants 20 calls, one at a time.
        var instances = Enumerable.Range(0, 4).Select(_ => NewInstance()).ToList();

        var granted = await Task.WhenAll(instances.Select(async quota =>
        {
            var count = 0;
            for (var i = 0; i < 20; i++)
            {
                if (await quota.TryConsumeAsync("yuki-domain-a", Day, 1, 50, default))
                {
                    count++;
                }
            }

            return count;
        }));

        Assert.Equal(50, granted.Sum());
        Assert.Equal(50, await NewInstance().UsedAsync("yuki-domain-a", Day, default));
    }

    [Fact]
    public async Task Each_domain_and_day_has_its_own_counter_and_a_refused_request_takes_nothing()
    {
        var quota = NewInstance();

        Assert.True(await quota.TryConsumeAsync("yuki-domain-a", Day, 8, 10, default));
        Assert.False(await quota.TryConsumeAsync("yuki-domain-a", Day, 3, 10, default));
        Assert.True(await quota.TryConsumeAsync("yuki-domain-a", Day, 2, 10, default));
        Assert.True(await quota.TryConsumeAsync("yuki-domain-b", Day, 10, 10, default));
        Assert.True(await quota.TryConsumeAsync("yuki-domain-a", Day.AddDays(1), 10, 10, default));

        Assert.Equal(10, await quota.UsedAsync("yuki-domain-a", Day, default));
        Assert.Equal(0, await quota.UsedAsync("yuki-domain-c", Day, default));
    }
}
