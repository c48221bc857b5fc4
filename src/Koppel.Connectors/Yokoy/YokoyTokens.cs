using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Refit;

namespace Koppel.Connectors.Yokoy;

/// <summary>
/// Client-credentials access tokens, one per API client, kept in the memory cache until five minutes before the
/// <c>expires_in</c> Yokoy gave (about 65 minutes). Yokoy issues no refresh token: a new one is simply requested.
/// The cache key is a hash of host, client id and secret, so a changed secret gets a new token.
/// </summary>
public sealed class YokoyTokens(IYokoyTokenApi api, IMemoryCache cache, IOptions<YokoyOptions> options)
{
    /// <summary>Renew this long before Yokoy's expiry, so a slow upload never starts with a token about to die.</summary>
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    public async Task<string> AccessTokenAsync(YokoyLogin login, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(login);
        var token = await cache.GetOrCreateAsync(KeyOf(login), async entry =>
        {
            var issued = await RequestAsync(login, cancellationToken);
            var lifetime = TimeSpan.FromSeconds(issued.ExpiresIn) - Margin;
            entry.AbsoluteExpirationRelativeToNow = lifetime > TimeSpan.FromSeconds(30) ? lifetime : TimeSpan.FromSeconds(30);
            return issued.AccessToken;
        });
        return token!;
    }

    /// <summary>Yokoy refused a token it issued (revoked or expired early): the next call asks for a new one.</summary>
    public void Forget(YokoyLogin login) => cache.Remove(KeyOf(login));

    private async Task<YokoyToken> RequestAsync(YokoyLogin login, CancellationToken cancellationToken)
    {
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(login.ClientId)}:{Uri.EscapeDataString(login.ClientSecret)}"));
        try
        {
            return await api.TokenAsync(basic, new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, cancellationToken);
        }
        catch (ApiException e) when (e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new YokoyLoginRefusedException();
        }
    }

    private string KeyOf(YokoyLogin login)
    {
        var text = Encoding.UTF8.GetBytes($"{options.Value.TokenUrl}\n{login.ClientId}\n{login.ClientSecret}");
        return "yokoy:token:" + Convert.ToHexString(SHA256.HashData(text));
    }
}

/// <summary>Yokoy's token endpoint refused the client id or secret: the connection is broken until a person fixes it.</summary>
public sealed class YokoyLoginRefusedException : Exception
{
    public YokoyLoginRefusedException()
        : base("Yokoy refused the client ID or client secret of this connection; create a new secret in Yokoy (Admin → Developer) and enter it in the connection.")
    {
    }

    public YokoyLoginRefusedException(string message)
        : base(message)
    {
    }

    public YokoyLoginRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
