using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Refit;

namespace Koppel.Connectors.Zenvoices;

/// <summary>
/// The tokens of one Zenvoices login, kept in the memory cache for the refresh token's life: the access token is used
/// until five minutes before it expires, then renewed with the refresh token; when that is refused, Koppel logs in
/// again with the password. Keyed by a hash of host, organisation, user and password.
/// </summary>
public sealed class ZenvoicesSession(IZenvoicesApi api, IMemoryCache cache, IOptions<ZenvoicesOptions> options)
{
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    public IZenvoicesApi Api => api;

    public async Task<string> AccessTokenAsync(ZenvoicesSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var key = KeyOf(settings);
        if (cache.TryGetValue(key, out ZenvoicesTokens? tokens) && tokens is not null)
        {
            if (tokens.AccessExpires - Margin > DateTimeOffset.UtcNow)
            {
                return tokens.Access;
            }

            if (tokens.Refresh is { } refresh && await RefreshAsync(refresh, cancellationToken) is { } renewed)
            {
                return Keep(key, renewed, refresh);
            }
        }

        return Keep(key, await LoginAsync(settings, cancellationToken), null);
    }

    /// <summary>Zenvoices refused an access token it issued: the next call renews it.</summary>
    public void Forget(ZenvoicesSettings settings) => cache.Remove(KeyOf(settings));

    private async Task<ZenvoicesLogin?> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
    {
        try
        {
            return (await api.RefreshAsync(refreshToken, cancellationToken)).Result;
        }
        catch (ApiException e) when (e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<ZenvoicesLogin> LoginAsync(ZenvoicesSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await api.LoginAsync(new ZenvoicesCredentials(settings.User, settings.Password, settings.Organisation), cancellationToken);
            return answer.Result ?? throw new ZenvoicesLoginRefusedException(answer.Error?.Message);
        }
        catch (ApiException e) when (e.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ZenvoicesLoginRefusedException(null);
        }
    }

    private string Keep(string key, ZenvoicesLogin login, string? previousRefresh)
    {
        var refresh = login.RefreshToken ?? previousRefresh;
        var tokens = new ZenvoicesTokens(login.AccessToken, DateTimeOffset.UtcNow.AddSeconds(login.ExpireInSeconds), refresh);
        var life = refresh is null ? TimeSpan.FromSeconds(login.ExpireInSeconds) : TimeSpan.FromSeconds(login.RefreshTokenExpireInSeconds ?? 30 * 24 * 3600);
        cache.Set(key, tokens, life > Margin ? life - Margin : TimeSpan.FromSeconds(30));
        return tokens.Access;
    }

    private string KeyOf(ZenvoicesSettings settings)
    {
        var text = Encoding.UTF8.GetBytes($"{options.Value.BaseUrl}\n{settings.Organisation}\n{settings.User}\n{settings.Password}");
        return "zenvoices:tokens:" + Convert.ToHexString(SHA256.HashData(text));
    }

    private sealed record ZenvoicesTokens(string Access, DateTimeOffset AccessExpires, string? Refresh)
    {
        public override string ToString() => "tokens (hidden)";
    }
}

/// <summary>Zenvoices refused the user, password or organisation code: the connection is broken until a person fixes it.</summary>
public sealed class ZenvoicesLoginRefusedException : Exception
{
    public ZenvoicesLoginRefusedException()
        : this(null)
    {
    }

    public ZenvoicesLoginRefusedException(string? said)
        : base($"Zenvoices refused the user name, password or organisation code of this connection{(string.IsNullOrWhiteSpace(said) ? string.Empty : $" ({said})")}; correct them in the connection.")
    {
    }

    public ZenvoicesLoginRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
