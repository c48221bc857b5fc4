using Koppel.Azure.Tables;
using Koppel.Azure.Tests.Infrastructure;

namespace Koppel.Azure.Tests.Tables;

/// <summary>The lease that makes an OAuth token refresh single-flight across processes, on real Table storage.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableOAuthTokenRefreshLeaseTests : IAsyncLifetime
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    private readonly TestStorage _storage;
    private readonly FixedClock _clock = new(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));

    public TableOAuthTokenRefreshLeaseTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
    }

    /// <summary>A separate lease store per "process", all on the same table.</summary>
    private TableOAuthRefreshLeases Process() => new(_storage.Clients.Table(_storage.Names.LeasesTable), _clock);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Of_many_processes_asking_at_once_exactly_one_gets_the_token_refresh_lease()
    {
        await Process().TryAcquireAsync("warm-up", Duration, default); // creates the table outside the race

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Process().TryAcquireAsync("exact-online:be-user1", Duration, default))));

        Assert.Single(attempts, lease => lease is not null);
    }

    [Fact]
    public async Task A_released_lease_can_be_taken_again_and_other_consents_are_independent()
    {
        var first = await Process().TryAcquireAsync("exact-online:be-user1", Duration, default);
        Assert.NotNull(first);
        Assert.NotNull(await Process().TryAcquireAsync("exact-online:be-user2", Duration, default));
        Assert.Null(await Process().TryAcquireAsync("exact-online:be-user1", Duration, default));

        await first.DisposeAsync();

        Assert.NotNull(await Process().TryAcquireAsync("exact-online:be-user1", Duration, default));
    }

    [Fact]
    public async Task A_crashed_holders_lease_expires_and_the_late_holder_cannot_free_the_new_one()
    {
        var crashed = await Process().TryAcquireAsync("exact-online:be-user1", Duration, default);
        _clock.Now += Duration + TimeSpan.FromSeconds(1);

        var taker = await Process().TryAcquireAsync("exact-online:be-user1", Duration, default);
        await crashed!.DisposeAsync();

        Assert.NotNull(taker);
        Assert.Null(await Process().TryAcquireAsync("exact-online:be-user1", Duration, default));
    }
}
