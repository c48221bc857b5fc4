namespace Koppel.Connectors.Dropbox;

/// <summary>
/// Operator settings of the Dropbox connector (<c>Koppel:Providers:Dropbox</c>): Koppel's Dropbox app and where Dropbox
/// lives. Never a user's setting: tests and the sandbox point the three URLs at a fake.
/// </summary>
public sealed class DropboxOptions
{
    public const string SectionName = "Koppel:Providers:Dropbox";

    /// <summary>Dropbox's RPC host (metadata calls and the token endpoint).</summary>
    public Uri BaseUrl { get; set; } = new("https://api.dropboxapi.com/");

    /// <summary>Dropbox's content host (uploads).</summary>
    public Uri ContentUrl { get; set; } = new("https://content.dropboxapi.com/");

    /// <summary>Where the user's browser signs in and allows Koppel (<c>/oauth2/authorize</c>).</summary>
    public Uri AuthUrl { get; set; } = new("https://www.dropbox.com/");

    /// <summary>The app key from the Dropbox App Console.</summary>
    public string? AppKey { get; set; }

    /// <summary>The app secret; prefer leaving it empty here: it is then read from the secret store under <see cref="AppSecretName"/>.</summary>
    public string? AppSecret { get; set; }

    public string AppSecretName { get; set; } = "dropbox-app-secret";

    /// <summary>The redirect URI registered with the app: the platform page that hands code and state to Koppel's callback.</summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>Files up to this size go in one <c>files/upload</c> call (Dropbox allows 150 MB); larger ones through an upload session.</summary>
    public long SingleUploadLimitBytes { get; set; } = 150L * 1024 * 1024;

    /// <summary>The size of each upload-session chunk (Dropbox recommends multiples of 4 MiB); one chunk is in memory at a time.</summary>
    public int ChunkBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Time allowed for one attempt of one call (one chunk of an upload session included); a read may take two attempts.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Renew an access token this long before it expires (Dropbox's live about 4 hours).</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    public override string ToString() =>
        $"BaseUrl={BaseUrl}, ContentUrl={ContentUrl}, AuthUrl={AuthUrl}, AppKey={AppKey}, AppSecret={(string.IsNullOrEmpty(AppSecret) ? "(from the secret store)" : "(set, hidden)")}, RedirectUri={RedirectUri}";
}
