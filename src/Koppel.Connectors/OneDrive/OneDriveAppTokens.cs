using System.Net;
using System.Security.Cryptography;
using System.Text;
using Koppel.Core.Connectors;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Koppel.Connectors.OneDrive;

/// <summary>The app registration of one connection in application mode: its tenant, client id and client secret.</summary>
internal sealed record OneDriveAppLogin(string Tenant, string ClientId, string ClientSecret)
{
    // Never print the secret (records print every property).
    public override string ToString() => $"{ClientId} in {Tenant}";
}

/// <summary>
/// Application-mode access tokens (client credentials for <c>https://graph.microsoft.com/.default</c>), one per app
/// registration, kept in the memory cache until <see cref="OneDriveOptions.RefreshMargin"/> before the <c>expires_in</c>
/// Entra gave (measured on the injected <see cref="TimeProvider"/>); Entra issues no refresh token for this grant, a new token is simply requested. The key is a hash of the
/// sign-in host, tenant, client id and secret, so a changed secret gets a new token. The same pattern as Yokoy's.
/// </summary>
internal sealed class OneDriveAppTokens(IMemoryCache cache, TimeProvider clock, IOptions<OneDriveOptions> options)
{
    public const string GraphScope = "https://graph.microsoft.com/.default";

    public async Task<string> AccessTokenAsync(IEntraLogin login, OneDriveAppLogin app, CancellationToken cancellationToken)
    {
        var key = KeyOf(app);
        if (cache.TryGetValue<HeldToken>(key, out var held) && held is not null && clock.GetUtcNow() < held.RenewAt)
        {
            return held.AccessToken;
        }

        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = app.ClientId,
            ["client_secret"] = app.ClientSecret,
            ["scope"] = GraphScope,
        };
        using var response = await login.TokenAsync(app.Tenant, form, cancellationToken);
        GraphResponses.ThrowIfNoAnswer(response);
        if (!response.IsSuccessStatusCode || response.Content is not { AccessToken.Length: > 0 } issued)
        {
            throw Refused(response, app);
        }

        var lifetime = TimeSpan.FromSeconds(issued.ExpiresIn ?? 3600) - options.Value.RefreshMargin;
        lifetime = lifetime > TimeSpan.FromSeconds(30) ? lifetime : TimeSpan.FromSeconds(30);
        cache.Set(key, new HeldToken(issued.AccessToken, clock.GetUtcNow() + lifetime), lifetime);
        return issued.AccessToken;
    }

    /// <summary>Graph refused a token it issued (revoked, expired early): the next call asks for a new one.</summary>
    public void Forget(OneDriveAppLogin app) => cache.Remove(KeyOf(app));

    private static GraphFailure Refused(Refit.IApiResponse response, OneDriveAppLogin app)
    {
        var said = GraphResponses.Error(response);
        if ((int)(response.StatusCode ?? 0) >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            return GraphResponses.Failure(response, "sign-in of the app registration");
        }

        // invalid_client (wrong or expired secret), unauthorized_client / AADSTS700016 (no such app in the tenant),
        // invalid_request (AADSTS90002: no such tenant): a person must fix the connection's app registration.
        var why = said.Code switch
        {
            "invalid_client" => "the client secret is wrong or has expired; create a new one in Entra ID (App registrations → Certificates & secrets) and enter it",
            "unauthorized_client" => $"there is no app registration {app.ClientId} in tenant {app.Tenant}, or it is disabled; check the client id and tenant",
            _ => $"check the tenant, client id and client secret{(said.Code is null ? string.Empty : $" ({said.Code})")}",
        };
        return new GraphFailure(DeliveryResult.ConnectionBroken($"Microsoft refused the app registration of this connection: {why}."), credentialsRejected: true);
    }

    /// <summary>A token and when to ask for the next one (on Koppel's clock, so a test's clock moves it too).</summary>
    private sealed record HeldToken(string AccessToken, DateTimeOffset RenewAt)
    {
        public override string ToString() => $"token until {RenewAt:u}";
    }

    private string KeyOf(OneDriveAppLogin app)
    {
        var text = Encoding.UTF8.GetBytes($"{options.Value.LoginUrl}\n{app.Tenant}\n{app.ClientId}\n{app.ClientSecret}");
        return "onedrive:app-token:" + Convert.ToHexString(SHA256.HashData(text));
    }
}
