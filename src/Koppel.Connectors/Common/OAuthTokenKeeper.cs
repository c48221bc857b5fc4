using System.Text.Json;
using Koppel.Core.Ports;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Koppel.Connectors.Common;

/// <summary>
/// One OAuth consent's tokens as kept in the secret store (<c>oauth-{provider}-{consentId}</c>). A refused refresh leaves
/// <see cref="RefreshToken"/> empty and <see cref="Refusal"/> set, so no later delivery asks the provider again with a
/// dead token. <see cref="Holders"/> are the connections that use the consent (<c>{dossier}/{connection}</c>), kept with
/// the tokens and changed under the same lease as a renewal, so neither overwrites the other; null for a consent stored
/// before holders were counted (it is then never deleted by counting).
/// </summary>
internal sealed record OAuthTokenRecord(string? AccessToken, DateTimeOffset AccessTokenExpiresAt, string? RefreshToken, DateTimeOffset UpdatedAt, string? Refusal = null, IReadOnlyList<string>? Holders = null)
{
    public override string ToString() => $"OAuth tokens (expire {AccessTokenExpiresAt:u}, values hidden)";
}

/// <summary>What a provider's token endpoint answered. A provider that does not rotate refresh tokens answers none on refresh.</summary>
internal sealed record OAuthTokenAnswer(string AccessToken, int? ExpiresIn, string? RefreshToken)
{
    public override string ToString() => "OAuth token answer (values hidden)";
}

/// <summary>The provider refused the refresh token itself (invalid_grant: revoked, expired, app removed): only a new consent helps.</summary>
internal sealed class OAuthRefreshRefusedException(string providerSaid) : Exception("The provider refused the refresh token.")
{
    /// <summary>The provider's own words (error code / description), never a token.</summary>
    public string ProviderSaid { get; } = providerSaid;
}

/// <summary>
/// The provider will not renew yet because the current access token has not expired by its clock (Exact Online refuses
/// early refreshes). The keeper then goes on with the stored access token while it is still valid by ours, and
/// otherwise throws <see cref="WhenNoTokenLeft"/>.
/// </summary>
internal sealed class OAuthRefreshTooEarlyException(Exception whenNoTokenLeft) : Exception("The provider refused an early refresh.", whenNoTokenLeft)
{
    public Exception WhenNoTokenLeft { get; } = whenNoTokenLeft;
}

/// <summary>The connection has no usable consent (none yet, or refused): the user must connect at the provider again.</summary>
internal sealed class OAuthConsentNeededException(string message, bool neverConnected = false) : Exception(message)
{
    /// <summary>No consent was ever stored for the connection (as opposed to one that expired or was refused).</summary>
    public bool NeverConnected { get; } = neverConnected;
}

/// <summary>How one OAuth provider's tokens are kept: its key (secret and lease names), its name for messages, and how early to renew.</summary>
internal sealed record OAuthProvider(string Key, string DisplayName, TimeSpan RefreshMargin)
{
    public string SecretNameFor(string consentId) => $"oauth-{Key}-{consentId}";

    public string ConsentExpiredMessage => $"The {DisplayName} consent of this connection expired or was withdrawn: open the connection and connect to {DisplayName} again.";

    public string NotConnectedMessage => $"This connection is not connected to {DisplayName} yet: open the connection and connect to {DisplayName}.";
}

/// <summary>
/// Access tokens for OAuth consents of any provider with refresh tokens. An access token is reused (from memory) until
/// <see cref="OAuthProvider.RefreshMargin"/> before it expires. A renewal is single-flight per consent across every
/// process (<see cref="IOAuthRefreshLeases"/>); whoever waits for the lease reads what the holder stored instead of
/// renewing again. A rotated refresh token is in the secret store before the new access token is handed to anyone.
/// </summary>
internal sealed class OAuthTokenKeeper(
    ISecretStore secrets,
    IOAuthRefreshLeases leases,
    IMemoryCache cache,
    TimeProvider clock,
    ILogger<OAuthTokenKeeper> logger)
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    /// <summary>Waiting for another worker's renewal: check the store again every quarter second, for up to about 15 s.</summary>
    private static readonly ResiliencePipeline<OAuthTokenRecord?> WaitForOtherRefresh = new ResiliencePipelineBuilder<OAuthTokenRecord?>()
        .AddRetry(new RetryStrategyOptions<OAuthTokenRecord?>
        {
            ShouldHandle = new PredicateBuilder<OAuthTokenRecord?>().HandleResult(r => r is null),
            MaxRetryAttempts = 60,
            Delay = TimeSpan.FromMilliseconds(250),
            BackoffType = DelayBackoffType.Constant,
            UseJitter = true,
        })
        .Build();

    /// <summary>Waiting for the lease to change a consent's holders: the same patience as waiting for another worker's renewal.</summary>
    private static readonly ResiliencePipeline<LeaseWork?> WaitForLease = new ResiliencePipelineBuilder<LeaseWork?>()
        .AddRetry(new RetryStrategyOptions<LeaseWork?>
        {
            ShouldHandle = new PredicateBuilder<LeaseWork?>().HandleResult(r => r is null),
            MaxRetryAttempts = 60,
            Delay = TimeSpan.FromMilliseconds(250),
            BackoffType = DelayBackoffType.Constant,
            UseJitter = true,
        })
        .Build();

    /// <summary>A usable access token, renewed with <paramref name="refresh"/> (given the stored refresh token) when needed.</summary>
    /// <exception cref="OAuthConsentNeededException">No consent, or the provider refused the refresh token (now or before).</exception>
    /// <exception cref="TimeoutException">Another worker holds the renewal and did not finish in time.</exception>
    public async Task<string> AccessTokenAsync(OAuthProvider provider, string consentId, Func<string, CancellationToken, Task<OAuthTokenAnswer>> refresh, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(CacheKey(provider, consentId), out OAuthTokenRecord? cached) && IsFresh(provider, cached!))
        {
            return cached!.AccessToken!;
        }

        var record = await RenewUnlessAsync(provider, consentId, r => IsFresh(provider, r), refresh, cancellationToken);
        Remember(provider, consentId, record);
        return record.AccessToken!;
    }

    /// <summary>
    /// Renews the consent when it was last renewed <paramref name="idleFor"/> or longer ago, through the same lease as a
    /// delivery's renewal. True when renewed now (by this call or by another worker while it waited).
    /// </summary>
    public async Task<bool> KeepAliveAsync(OAuthProvider provider, string consentId, TimeSpan idleFor, Func<string, CancellationToken, Task<OAuthTokenAnswer>> refresh, CancellationToken cancellationToken)
    {
        bool RenewedLately(OAuthTokenRecord record) => clock.GetUtcNow() - record.UpdatedAt < idleFor;

        var before = await ReadAsync(provider, consentId, cancellationToken);
        if (RenewedLately(before))
        {
            return false;
        }

        var record = await RenewUnlessAsync(provider, consentId, RenewedLately, refresh, cancellationToken);
        if (IsFresh(provider, record))
        {
            Remember(provider, consentId, record);
        }

        return record.UpdatedAt > before.UpdatedAt;
    }

    /// <summary>Drops the remembered access token after the provider refused it, so the next call renews it.</summary>
    public void Forget(OAuthProvider provider, string consentId) => cache.Remove(CacheKey(provider, consentId));

    /// <summary>
    /// Stores a new consent's tokens (from the code exchange), replacing earlier ones of the same consent; the connections
    /// that held the earlier ones keep holding it (they use the new tokens from now on).
    /// </summary>
    public async Task SaveConsentAsync(OAuthProvider provider, string consentId, OAuthTokenAnswer answer, CancellationToken cancellationToken)
    {
        var record = await UnderLeaseAsync(provider, consentId, async () =>
        {
            var earlier = await ReadRecordAsync(provider, consentId, cancellationToken);
            var record = RecordFrom(answer, previousRefreshToken: null) with { Holders = earlier?.Holders };
            await WriteAsync(provider, consentId, record, cancellationToken);
            return record;
        }, cancellationToken);
        Remember(provider, consentId, record!);
    }

    /// <summary>Counts <paramref name="holder"/> among the connections that use the consent (nothing when it is counted already or there is no consent).</summary>
    public async Task HoldAsync(OAuthProvider provider, string consentId, string holder, CancellationToken cancellationToken)
    {
        if (await ReadRecordAsync(provider, consentId, cancellationToken) is not { } record || record.Holders?.Contains(holder, StringComparer.Ordinal) == true)
        {
            return;
        }

        await UnderLeaseAsync(provider, consentId, async () =>
        {
            var current = await ReadRecordAsync(provider, consentId, cancellationToken);
            if (current is not null && current.Holders?.Contains(holder, StringComparer.Ordinal) != true)
            {
                await WriteAsync(provider, consentId, current with { Holders = [.. current.Holders ?? [], holder] }, cancellationToken);
            }

            return current;
        }, cancellationToken);
    }

    /// <summary>
    /// <paramref name="holder"/> no longer uses the consent; with the last holder gone the consent's tokens are deleted
    /// from the secret store. A consent that never counted its holders, or does not count this one, is left alone.
    /// True when the tokens were deleted now.
    /// </summary>
    public async Task<bool> ReleaseAsync(OAuthProvider provider, string consentId, string holder, CancellationToken cancellationToken)
    {
        if (await ReadRecordAsync(provider, consentId, cancellationToken) is not { Holders: { } holders } || !holders.Contains(holder, StringComparer.Ordinal))
        {
            return false;
        }

        var deleted = await UnderLeaseAsync(provider, consentId, async () =>
        {
            if (await ReadRecordAsync(provider, consentId, cancellationToken) is not { Holders: { } current } record || !current.Contains(holder, StringComparer.Ordinal))
            {
                return (OAuthTokenRecord?)null;
            }

            var rest = current.Where(h => !string.Equals(h, holder, StringComparison.Ordinal)).ToList();
            if (rest.Count > 0)
            {
                await WriteAsync(provider, consentId, record with { Holders = rest }, cancellationToken);
                return null;
            }

            await secrets.DeleteAsync(provider.SecretNameFor(consentId), cancellationToken);
            return record;
        }, cancellationToken);
        if (deleted is null)
        {
            return false;
        }

        Forget(provider, consentId);
        logger.LogInformation("Deleted the {Provider} consent {ConsentId}: its last connection was deleted", provider.DisplayName, consentId);
        return true;
    }

    private async Task<OAuthTokenRecord> RenewUnlessAsync(OAuthProvider provider, string consentId, Func<OAuthTokenRecord, bool> goodEnough, Func<string, CancellationToken, Task<OAuthTokenAnswer>> refresh, CancellationToken cancellationToken) =>
        await WaitForOtherRefresh.ExecuteAsync(async ct => await TryRenewUnlessAsync(provider, consentId, goodEnough, refresh, ct), cancellationToken)
            ?? throw new TimeoutException($"Another Koppel worker is renewing the {provider.DisplayName} sign-in of this connection.");

    private async ValueTask<OAuthTokenRecord?> TryRenewUnlessAsync(OAuthProvider provider, string consentId, Func<OAuthTokenRecord, bool> goodEnough, Func<string, CancellationToken, Task<OAuthTokenAnswer>> refresh, CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(provider, consentId, cancellationToken);
        if (goodEnough(stored))
        {
            return stored;
        }

        await using var lease = await leases.TryAcquireAsync($"{provider.Key}:{consentId}", LeaseDuration, cancellationToken);
        if (lease is null)
        {
            return null; // someone else renews; wait and read what they store
        }

        // Between our read and the lease another worker may have renewed and released: read again under the lease.
        stored = await ReadAsync(provider, consentId, cancellationToken);
        if (goodEnough(stored))
        {
            return stored;
        }

        OAuthTokenAnswer answer;
        try
        {
            answer = await refresh(stored.RefreshToken!, cancellationToken);
        }
        catch (OAuthRefreshTooEarlyException e)
        {
            // Our clock runs ahead of the provider's: the access token we have is still good for a few seconds.
            if (stored.AccessToken is { Length: > 0 } && stored.AccessTokenExpiresAt > clock.GetUtcNow())
            {
                return stored;
            }

            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.WhenNoTokenLeft);
            throw;
        }
        catch (OAuthRefreshRefusedException e)
        {
            // Remember the refusal, so no other delivery calls the provider with the dead token again.
            await secrets.SetAsync(provider.SecretNameFor(consentId), JsonSerializer.Serialize(stored with { AccessToken = null, RefreshToken = null, Refusal = e.ProviderSaid, UpdatedAt = clock.GetUtcNow() }), cancellationToken);
            Forget(provider, consentId);
            logger.LogWarning("{Provider} refused to renew the sign-in of consent {ConsentId} ({Said}); the user must connect again", provider.DisplayName, consentId, e.ProviderSaid);
            throw new OAuthConsentNeededException(provider.ConsentExpiredMessage);
        }

        var renewed = RecordFrom(answer, stored.RefreshToken) with { Holders = stored.Holders };

        // Stored before anyone uses the new access token: a provider that rotates refresh tokens may already have
        // retired the old one, and a crash after use but before storing would lose the consent.
        await secrets.SetAsync(provider.SecretNameFor(consentId), JsonSerializer.Serialize(renewed), cancellationToken);
        logger.LogInformation("Renewed the {Provider} sign-in of consent {ConsentId}", provider.DisplayName, consentId);
        return renewed;
    }

    /// <summary>Runs <paramref name="work"/> holding the consent's renewal lease, waiting for another holder as a renewal does.</summary>
    private async Task<T?> UnderLeaseAsync<T>(OAuthProvider provider, string consentId, Func<Task<T?>> work, CancellationToken cancellationToken)
        where T : class
    {
        var outcome = await WaitForLease.ExecuteAsync(
            async ct =>
            {
                await using var lease = await leases.TryAcquireAsync($"{provider.Key}:{consentId}", LeaseDuration, ct);
                return lease is null ? null : new LeaseWork(await work());
            },
            cancellationToken);
        return (outcome ?? throw new TimeoutException($"Another Koppel worker is renewing the {provider.DisplayName} sign-in of this connection.")).Result as T;
    }

    private Task WriteAsync(OAuthProvider provider, string consentId, OAuthTokenRecord record, CancellationToken cancellationToken) =>
        secrets.SetAsync(provider.SecretNameFor(consentId), JsonSerializer.Serialize(record), cancellationToken);

    /// <summary>The stored record as it is (refused or not), or null when there is none.</summary>
    private async Task<OAuthTokenRecord?> ReadRecordAsync(OAuthProvider provider, string consentId, CancellationToken cancellationToken) =>
        await secrets.GetAsync(provider.SecretNameFor(consentId), cancellationToken) is { } json ? JsonSerializer.Deserialize<OAuthTokenRecord>(json) : null;

    private async Task<OAuthTokenRecord> ReadAsync(OAuthProvider provider, string consentId, CancellationToken cancellationToken)
    {
        var json = await secrets.GetAsync(provider.SecretNameFor(consentId), cancellationToken) ?? throw new OAuthConsentNeededException(provider.NotConnectedMessage, neverConnected: true);
        var record = JsonSerializer.Deserialize<OAuthTokenRecord>(json) ?? throw new OAuthConsentNeededException(provider.NotConnectedMessage, neverConnected: true);
        return record.RefreshToken is { Length: > 0 } ? record : throw new OAuthConsentNeededException(provider.ConsentExpiredMessage);
    }

    private OAuthTokenRecord RecordFrom(OAuthTokenAnswer answer, string? previousRefreshToken)
    {
        var now = clock.GetUtcNow();
        return new OAuthTokenRecord(answer.AccessToken, now.AddSeconds(answer.ExpiresIn ?? 3600), answer.RefreshToken ?? previousRefreshToken, now);
    }

    private bool IsFresh(OAuthProvider provider, OAuthTokenRecord record) =>
        record.AccessToken is { Length: > 0 } && record.AccessTokenExpiresAt - provider.RefreshMargin > clock.GetUtcNow();

    private void Remember(OAuthProvider provider, string consentId, OAuthTokenRecord record) =>
        cache.Set(CacheKey(provider, consentId), record, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(Math.Max(1, (record.AccessTokenExpiresAt - provider.RefreshMargin - clock.GetUtcNow()).TotalSeconds)) });

    private static string CacheKey(OAuthProvider provider, string consentId) => $"oauth:{provider.Key}:token:{consentId}";
}

/// <summary>What work under the lease gave back (null inside: nothing); null itself: the lease was taken.</summary>
internal sealed record LeaseWork(object? Result);

internal static class OAuthTokenKeeperServices
{
    /// <summary>The token keeper every OAuth connector shares, with the memory cache, the clock and the refresh lease it needs.</summary>
    public static IServiceCollection AddOAuthTokenKeeper(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IOAuthRefreshLeases, InMemoryOAuthRefreshLeases>();
        services.TryAddSingleton<OAuthTokenKeeper>();
        return services;
    }
}
