using System.Net;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Ports;
using Microsoft.Extensions.Options;

namespace Koppel.Connectors.ExactOnline;

/// <summary>
/// Access tokens for Exact consents, kept by the <see cref="OAuthTokenKeeper"/> every OAuth connector shares (secret
/// <c>oauth-exact-online-{consentId}</c>, single-flight renewal across processes, the rotated refresh token stored before
/// the new access token is used). What is Exact's own lives here: its token endpoint and client credentials, its 600 s
/// access tokens renewed only in the last 30 s (Exact refuses earlier refreshes, and says so with
/// <c>Reason: Access Token not expired</c>), and its failures in the words of <see cref="ExactFailure"/>.
/// </summary>
internal sealed class ExactTokens(OAuthTokenKeeper keeper, ISecretStore secrets, IOptions<ExactOnlineOptions> options)
{
    /// <summary>Exact refuses a refresh before the last ~30 s of an access token's life; Koppel refreshes inside that window.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(30);

    private static readonly OAuthProvider Provider = new(ExactOnlineConnector.ProviderKey, "Exact Online", RefreshMargin);

    private readonly ExactOnlineOptions _options = options.Value;

    public static string SecretNameFor(string consentId) => Provider.SecretNameFor(consentId);

    public Task<string> AccessTokenAsync(IExactOnlineApi api, string consentId, CancellationToken cancellationToken) =>
        InExactWordsAsync(() => keeper.AccessTokenAsync(Provider, consentId, (refreshToken, ct) => RefreshAsync(api, refreshToken, ct), cancellationToken));

    /// <summary>
    /// Renews the consent's tokens when they were last renewed <paramref name="idleFor"/> or longer ago (an unused
    /// refresh token dies after about 30 days), through the same lease as a delivery's renewal. True when renewed now.
    /// </summary>
    public Task<bool> KeepAliveAsync(IExactOnlineApi api, string consentId, TimeSpan idleFor, CancellationToken cancellationToken) =>
        InExactWordsAsync(() => keeper.KeepAliveAsync(Provider, consentId, idleFor, (refreshToken, ct) => RefreshAsync(api, refreshToken, ct), cancellationToken));

    /// <summary>Counts the connection <paramref name="holder"/> among those that use the consent.</summary>
    public Task HoldAsync(string consentId, string holder, CancellationToken cancellationToken) =>
        keeper.HoldAsync(Provider, consentId, holder, cancellationToken);

    /// <summary>The connection <paramref name="holder"/> no longer uses the consent; its tokens go with the last holder. True when deleted now.</summary>
    public Task<bool> ReleaseAsync(string consentId, string holder, CancellationToken cancellationToken) =>
        keeper.ReleaseAsync(Provider, consentId, holder, cancellationToken);

    /// <summary>Drops the remembered access token after Exact refused it, so the next call reads the store again.</summary>
    public void Forget(string consentId) => keeper.Forget(Provider, consentId);

    /// <summary>Exchanges a consent's authorisation code for tokens (not stored yet: the caller knows the consent id only after asking Exact who signed in).</summary>
    public async Task<OAuthTokenAnswer> ExchangeCodeAsync(IExactOnlineApi api, string code, CancellationToken cancellationToken)
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

        return new OAuthTokenAnswer(tokens.AccessToken, tokens.ExpiresIn ?? 600, tokens.RefreshToken);
    }

    /// <summary>Stores a new consent's tokens; a newer consent of the same Exact user replaces the older one (Exact keeps only the latest valid).</summary>
    public Task SaveConsentAsync(string consentId, OAuthTokenAnswer tokens, CancellationToken cancellationToken) =>
        keeper.SaveConsentAsync(Provider, consentId, tokens, cancellationToken);

    private async Task<OAuthTokenAnswer> RefreshAsync(IExactOnlineApi api, string refreshToken, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        form["grant_type"] = "refresh_token";
        form["refresh_token"] = refreshToken;
        using var response = await api.TokenAsync(form, cancellationToken);
        ExactResponses.ThrowIfNoAnswer(response);
        if (response.IsSuccessStatusCode && response.Content is { AccessToken.Length: > 0, RefreshToken.Length: > 0 } tokens)
        {
            return new OAuthTokenAnswer(tokens.AccessToken, tokens.ExpiresIn ?? 600, tokens.RefreshToken);
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized && ExactResponses.HasReason(response.Headers, "Access Token not expired"))
        {
            throw new OAuthRefreshTooEarlyException(new ExactFailure(DeliveryResult.Transient("Exact Online says the current sign-in has not expired yet; Koppel tries again shortly.", TimeSpan.FromSeconds(30))));
        }

        if ((int)(response.StatusCode ?? 0) is 400 or 401)
        {
            // Old refresh token used, invalid_grant, expired after 30 days idle: only a new consent helps.
            throw new OAuthRefreshRefusedException(ExactResponses.ErrorMessage(ExactResponses.ErrorBody(response)) ?? $"{(int)(response.StatusCode ?? 0)}");
        }

        throw new ExactFailure(DeliveryResult.Transient($"Exact Online could not renew the sign-in right now ({(int)(response.StatusCode ?? 0)}); Koppel tries again later."));
    }

    /// <summary>The keeper's failures as the rest of the Exact connector knows them.</summary>
    private static async Task<T> InExactWordsAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (OAuthConsentNeededException e)
        {
            throw e.NeverConnected ? ExactFailure.NotConnected() : ExactFailure.ConsentExpired();
        }
        catch (TimeoutException)
        {
            throw new ExactFailure(DeliveryResult.Transient("Another Koppel worker is renewing the Exact Online sign-in of this connection; Koppel tries again shortly.", TimeSpan.FromSeconds(30)));
        }
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
}
