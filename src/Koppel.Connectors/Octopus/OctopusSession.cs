using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Refit;

namespace Koppel.Connectors.Octopus;

/// <summary>
/// The Octopus tokens of one login: the user token (<c>POST /authentication</c>), the dossier token
/// (<c>POST /dossiers?dossierId=N</c>) and the file-import token, each valid 10 minutes. They are kept in the
/// memory cache until shortly before they expire, keyed by a hash of the login (a changed password gets new
/// tokens), and thrown away when Octopus answers 401 during a run: the call is then made once more with fresh ones.
/// </summary>
public sealed class OctopusSession
{
    /// <summary>Octopus' tokens live 10 minutes; renewing one minute early keeps a slow run inside the window.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(9);

    private readonly IOctopusApi _api;
    private readonly IOctopusFileImportApi _fileImport;
    private readonly IMemoryCache _cache;
    private readonly OctopusOptions _options;

    public OctopusSession(IOctopusApi api, IOctopusFileImportApi fileImport, IMemoryCache cache, IOptions<OctopusOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _api = api;
        _fileImport = fileImport;
        _cache = cache;
        _options = options.Value;
    }

    public IOctopusApi Api => _api;

    public IOctopusFileImportApi FileImport => _fileImport;

    /// <summary>Runs <paramref name="call"/> with a user token; on a 401 the tokens are renewed and it runs once more.</summary>
    public Task<T> WithUserTokenAsync<T>(OctopusSettings settings, Func<string, Task<T>> call, CancellationToken cancellationToken) =>
        RenewingOnceAsync(settings, () => UserTokenAsync(settings, cancellationToken), call);

    /// <summary>Runs <paramref name="call"/> with the dossier token of the connection's dossier; renewed once on a 401.</summary>
    public Task<T> WithDossierTokenAsync<T>(OctopusSettings settings, Func<string, Task<T>> call, CancellationToken cancellationToken) =>
        RenewingOnceAsync(settings, () => DossierTokenAsync(settings, cancellationToken), call);

    /// <summary>Runs <paramref name="call"/> with a file-import token; renewed once on a 401.</summary>
    public Task<T> WithFileImportTokenAsync<T>(OctopusSettings settings, Func<string, Task<T>> call, CancellationToken cancellationToken) =>
        RenewingOnceAsync(settings, () => FileImportTokenAsync(settings, cancellationToken), call);

    private async Task<T> RenewingOnceAsync<T>(OctopusSettings settings, Func<Task<string>> token, Func<string, Task<T>> call)
    {
        try
        {
            return await call(await token());
        }
        catch (ApiException e) when (e.StatusCode == HttpStatusCode.Unauthorized && !IsLogin(e))
        {
            // The token ran out mid-run (or Octopus dropped it): one fresh login, one more try.
            Forget(settings);
            return await call(await token());
        }
    }

    private Task<string> UserTokenAsync(OctopusSettings settings, CancellationToken cancellationToken) =>
        CachedAsync(KeyOf("user", settings), async () => (await LoginAsync(() => _api.AuthenticateAsync(SoftwareHouseUuid, Credentials(settings), cancellationToken))).Token);

    private Task<string> DossierTokenAsync(OctopusSettings settings, CancellationToken cancellationToken)
    {
        var dossierId = settings.RequireDossier();
        return CachedAsync(KeyOf("dossier" + dossierId, settings), async () =>
        {
            var userToken = await UserTokenAsync(settings, cancellationToken);
            try
            {
                return (await _api.OpenDossierAsync(userToken, dossierId, cancellationToken)).DossierToken;
            }
            catch (ApiException e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                throw new OctopusAccessException($"The Octopus user '{settings.User}' has no access to dossier {dossierId}; run the connection test to see the dossiers it can reach.");
            }
        });
    }

    private Task<string> FileImportTokenAsync(OctopusSettings settings, CancellationToken cancellationToken) =>
        CachedAsync(KeyOf("file-import", settings), async () => (await LoginAsync(() => _fileImport.AuthenticateAsync(SoftwareHouseUuid, Credentials(settings), cancellationToken))).Token);

    private async Task<string> CachedAsync(string key, Func<Task<string>> create)
    {
        var token = await _cache.GetOrCreateAsync(key, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return await create();
        });
        return token!;
    }

    private static async Task<OctopusToken> LoginAsync(Func<Task<OctopusToken>> login)
    {
        try
        {
            return await login();
        }
        catch (ApiException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new OctopusAccessException("Octopus refused the user name or password of this connection (or the user lacks the web-service module); correct them in the connection.")
            {
                CredentialsRejected = true,
            };
        }
    }

    private void Forget(OctopusSettings settings)
    {
        _cache.Remove(KeyOf("user", settings));
        _cache.Remove(KeyOf("dossier" + settings.DossierId, settings));
        _cache.Remove(KeyOf("file-import", settings));
    }

    private static bool IsLogin(ApiException e) =>
        e.RequestMessage.RequestUri?.AbsolutePath.EndsWith("/authentication", StringComparison.Ordinal) == true;

    private string SoftwareHouseUuid => _options.SoftwareHouseUuid is { Length: > 0 } uuid
        ? uuid
        : throw new Core.Connectors.ConnectorConfigurationException(
            $"Koppel's operator has not configured the Octopus software-house UUID ({OctopusOptions.Section}:SoftwareHouseUuid); Octopus issues it on request.");

    private static OctopusCredentials Credentials(OctopusSettings settings) => new(settings.User, settings.Password);

    /// <summary>The cache key: which token, for which login at which host, hashed so the password is not kept in clear in a key.</summary>
    private string KeyOf(string which, OctopusSettings settings)
    {
        var login = Encoding.UTF8.GetBytes($"{_options.BaseUrl}\n{settings.User}\n{settings.Password}");
        return $"octopus:{which}:{Convert.ToHexString(SHA256.HashData(login))}";
    }
}

/// <summary>Octopus refused the login, or the user may not open the dossier: the connection is broken until a person fixes it.</summary>
public sealed class OctopusAccessException : Exception
{
    /// <summary>True when Octopus refused the login itself, false when the login is fine but the dossier is out of reach.</summary>
    public bool CredentialsRejected { get; init; }

    public OctopusAccessException()
    {
    }

    public OctopusAccessException(string message)
        : base(message)
    {
    }

    public OctopusAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
