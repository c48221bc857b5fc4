using System.Globalization;
using System.Net;
using System.Text.Json;
using Koppel.Core.Connectors;
using Koppel.Core.Ports;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Refit;

namespace Koppel.Connectors.ExactOnline;

/// <summary>
/// One Exact consent's tokens as kept in the secret store (<c>oauth-exact-online-{consentId}</c>). A refused refresh
/// leaves <see cref="RefreshToken"/> empty and <see cref="Refusal"/> set, so no later delivery asks Exact again with a
/// dead token (Exact counts every refused call towards blocking the app).
/// </summary>
internal sealed record ExactTokenRecord(string? AccessToken, DateTimeOffset AccessTokenExpiresAt, string? RefreshToken, DateTimeOffset UpdatedAt, string? Refusal = null)
{
    public override string ToString() => $"Exact tokens (expire {AccessTokenExpiresAt:u}, values hidden)";
}

/// <summary>
/// Access tokens for Exact consents. An access token lives 600 s and is reused until 30 s before it expires (Exact
/// refuses earlier refreshes). Refresh tokens rotate and the old one dies when the new one is used, so a refresh is
/// single-flight per consent across every process (<see cref="IOAuthRefreshLeases"/>), and the new refresh token is in
/// the secret store before the new access token is used by anyone. Whoever waits for the lease reads what the holder
/// stored instead of refreshing again.
/// </summary>
internal sealed class ExactTokens(
    ISecretStore secrets,
    IOAuthRefreshLeases leases,
    IMemoryCache cache,
    IOptions<ExactOnlineOptions> options,
    TimeProvider clock,
    ILogger<ExactTokens> logger)
{
    /// <summary>Exact refuses a refresh before the last ~30 s of an access token's life; Koppel refreshes inside that window.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    /// <summary>Waiting for another worker's refresh: check the store again every quarter second, for up to about 15 s.</summary>
    private static readonly ResiliencePipeline<ExactTokenRecord?> WaitForOtherRefresh = new ResiliencePipelineBuilder<ExactTokenRecord?>()
        .AddRetry(new RetryStrategyOptions<ExactTokenRecord?>
        {
            ShouldHandle = new PredicateBuilder<ExactTokenRecord?>().HandleResult(r => r is null),
            MaxRetryAttempts = 60,
            Delay = TimeSpan.FromMilliseconds(250),
            BackoffType = DelayBackoffType.Constant,
            UseJitter = true,
        })
        .Build();

    private readonly ExactOnlineOptions _options = options.Value;

    public static string SecretNameFor(string consentId) => $"oauth-exact-online-{consentId}";

    public async Task<string> AccessTokenAsync(IExactOnlineApi api, string consentId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(CacheKey(consentId), out ExactTokenRecord? cached) && IsFresh(cached!))
        {
            return cached!.AccessToken!;
        }

        var record = await RenewUnlessAsync(api, consentId, IsFresh, cancellationToken);
        Remember(consentId, record);
        return record.AccessToken!;
    }

    /// <summary>
    /// Renews the consent's tokens when they were last renewed <paramref name="idleFor"/> or longer ago (an unused
    /// refresh token dies after about 30 days), through the same lease as a delivery's renewal. True when renewed now
    /// (by this call or by another worker while it waited).
    /// </summary>
    public async Task<bool> KeepAliveAsync(IExactOnlineApi api, string consentId, TimeSpan idleFor, CancellationToken cancellationToken)
    {
        bool RenewedLately(ExactTokenRecord record) => clock.GetUtcNow() - record.UpdatedAt < idleFor;

        var before = await ReadAsync(consentId, cancellationToken);
        if (RenewedLately(before))
        {
            return false;
        }

        var record = await RenewUnlessAsync(api, consentId, RenewedLately, cancellationToken);
        if (IsFresh(record))
        {
            Remember(consentId, record);
        }

        return record.UpdatedAt > before.UpdatedAt;
    }

    /// <summary>Drops the remembered access token after Exact refused it, so the next call reads the store again.</summary>
    public void Forget(string consentId) => cache.Remove(CacheKey(consentId));

    /// <summary>Exchanges a consent's authorisation code for tokens (not stored yet: the caller knows the consent id only after asking Exact who signed in).</summary>
    public async Task<ExactTokenRecord> ExchangeCodeAsync(IExactOnlineApi api, string code, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        form["grant_type"] = "authorization_code";
        form["code"] = code;
        form["redirect_uri"] = _options.RedirectUri?.ToString() ?? throw new ConnectorConfigurationException("Koppel's Exact Online app has no redirect URI: the operator must set Koppel:Providers:ExactOnline:RedirectUri.");
        using var response = await api.TokenAsync(form, cancellationToken);
        ExactResponses.ThrowIfNoAnswer(response);
        if (!response.IsSuccessStatusCode || response.Content is not { AccessToken.Length: > 0, RefreshToken.Length: > 0 } tokens)
        {
            var message = ExactResponses.ErrorMessage(ExactResponses.ErrorBody(response));
            throw (int)(response.StatusCode ?? 0) >= 500
                ? new ExactFailure(DeliveryResult.Transient("Exact Online could not complete the sign-in right now; try connecting again in a moment."))
                : new OAuthConsentRefusedException($"Exact Online did not accept the sign-in{(message is null ? "." : ": " + message)} Start connecting to Exact again.");
        }

        return RecordFrom(tokens);
    }

    /// <summary>Stores a new consent's tokens; a newer consent of the same Exact user replaces the older one (Exact keeps only the latest valid).</summary>
    public async Task SaveConsentAsync(string consentId, ExactTokenRecord record, CancellationToken cancellationToken)
    {
        await secrets.SetAsync(SecretNameFor(consentId), JsonSerializer.Serialize(record), cancellationToken);
        Remember(consentId, record);
    }

    /// <summary>
    /// The stored tokens when <paramref name="goodEnough"/>, otherwise renewed by whoever holds the consent's lease:
    /// this caller if it gets the lease, else another worker, whose result this caller waits for and reads.
    /// </summary>
    private async Task<ExactTokenRecord> RenewUnlessAsync(IExactOnlineApi api, string consentId, Func<ExactTokenRecord, bool> goodEnough, CancellationToken cancellationToken) =>
        await WaitForOtherRefresh.ExecuteAsync(async ct => await TryRenewUnlessAsync(api, consentId, goodEnough, ct), cancellationToken)
            ?? throw new ExactFailure(DeliveryResult.Transient("Another Koppel worker is renewing the Exact Online sign-in of this connection; Koppel tries again shortly.", TimeSpan.FromSeconds(30)));

    private async ValueTask<ExactTokenRecord?> TryRenewUnlessAsync(IExactOnlineApi api, string consentId, Func<ExactTokenRecord, bool> goodEnough, CancellationToken cancellationToken)
    {
        var stored = await ReadAsync(consentId, cancellationToken);
        if (goodEnough(stored))
        {
            return stored;
        }

        await using var lease = await leases.TryAcquireAsync("exact-online:" + consentId, LeaseDuration, cancellationToken);
        if (lease is null)
        {
            return null; // someone else refreshes; wait and read what they store
        }

        // Between our read and the lease another worker may have refreshed and released: read again under the lease.
        stored = await ReadAsync(consentId, cancellationToken);
        return goodEnough(stored) ? stored : await RefreshAsync(api, consentId, stored, cancellationToken);
    }

    private async Task<ExactTokenRecord> RefreshAsync(IExactOnlineApi api, string consentId, ExactTokenRecord stored, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        form["grant_type"] = "refresh_token";
        form["refresh_token"] = stored.RefreshToken!;
        using var response = await api.TokenAsync(form, cancellationToken);
        ExactResponses.ThrowIfNoAnswer(response);
        if (response.IsSuccessStatusCode && response.Content is { AccessToken.Length: > 0, RefreshToken.Length: > 0 } tokens)
        {
            var renewed = RecordFrom(tokens);

            // Stored before anyone uses the new access token: from the moment it is used, the old refresh token is dead.
            await secrets.SetAsync(SecretNameFor(consentId), JsonSerializer.Serialize(renewed), cancellationToken);
            logger.LogInformation("Renewed the Exact Online sign-in of consent {ConsentId}", consentId);
            return renewed;
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized && ExactResponses.HasReason(response.Headers, "Access Token not expired"))
        {
            // Our clock runs ahead of Exact's: the access token we have is still good for a few seconds.
            if (stored.AccessToken is { Length: > 0 } && stored.AccessTokenExpiresAt > clock.GetUtcNow())
            {
                return stored;
            }

            throw new ExactFailure(DeliveryResult.Transient("Exact Online says the current sign-in has not expired yet; Koppel tries again shortly.", TimeSpan.FromSeconds(30)));
        }

        if ((int)(response.StatusCode ?? 0) is 400 or 401)
        {
            // Old refresh token used, invalid_grant, expired after 30 days idle: only a new consent helps. Remember it,
            // so no other delivery calls Exact with the dead token again.
            var reason = ExactResponses.ErrorMessage(ExactResponses.ErrorBody(response)) ?? response.StatusCode.ToString();
            await secrets.SetAsync(SecretNameFor(consentId), JsonSerializer.Serialize(stored with { AccessToken = null, RefreshToken = null, Refusal = reason, UpdatedAt = clock.GetUtcNow() }), cancellationToken);
            logger.LogWarning("Exact Online refused to renew the sign-in of consent {ConsentId} ({Status}); the user must connect again", consentId, (int)(response.StatusCode ?? 0));
            throw ExactFailure.ConsentExpired();
        }

        throw new ExactFailure(DeliveryResult.Transient($"Exact Online could not renew the sign-in right now ({(int)(response.StatusCode ?? 0)}); Koppel tries again later."));
    }

    private async Task<ExactTokenRecord> ReadAsync(string consentId, CancellationToken cancellationToken)
    {
        var json = await secrets.GetAsync(SecretNameFor(consentId), cancellationToken) ?? throw ExactFailure.NotConnected();
        var record = JsonSerializer.Deserialize<ExactTokenRecord>(json) ?? throw ExactFailure.NotConnected();
        return record.RefreshToken is { Length: > 0 } ? record : throw ExactFailure.ConsentExpired();
    }

    private async Task<Dictionary<string, string>> FormAsync(CancellationToken cancellationToken)
    {
        var clientId = _options.ClientId is { Length: > 0 } id ? id
            : throw new ConnectorConfigurationException("Koppel's Exact Online app is not set up: the operator must set Koppel:Providers:ExactOnline:ClientId.");
        var secret = _options.ClientSecret is { Length: > 0 } configured ? configured
            : await secrets.GetAsync(_options.ClientSecretName, cancellationToken)
            ?? throw new ConnectorConfigurationException($"Koppel's Exact Online app is not set up: the operator must put the client secret in the secret store as '{_options.ClientSecretName}'.");
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["client_id"] = clientId, ["client_secret"] = secret };
    }

    private ExactTokenRecord RecordFrom(ExactTokenResponse tokens)
    {
        var now = clock.GetUtcNow();
        return new ExactTokenRecord(tokens.AccessToken, now.AddSeconds(tokens.ExpiresIn ?? 600), tokens.RefreshToken, now);
    }

    private bool IsFresh(ExactTokenRecord record) =>
        record.AccessToken is { Length: > 0 } && record.AccessTokenExpiresAt - RefreshMargin > clock.GetUtcNow();

    private void Remember(string consentId, ExactTokenRecord record) =>
        cache.Set(CacheKey(consentId), record, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(Math.Max(1, (record.AccessTokenExpiresAt - RefreshMargin - clock.GetUtcNow()).TotalSeconds)) });

    private static string CacheKey(string consentId) => "exact-online:token:" + consentId.ToString(CultureInfo.InvariantCulture);
}
