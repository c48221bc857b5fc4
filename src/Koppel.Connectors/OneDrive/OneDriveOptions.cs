namespace Koppel.Connectors.OneDrive;

/// <summary>
/// Operator settings of the OneDrive for Business connector (<c>Koppel:Providers:OneDrive</c>): Koppel's app registration
/// in Microsoft Entra ID and where Microsoft Graph and the sign-in live. Never a user's setting: tests and the sandbox
/// point <see cref="BaseUrl"/> and <see cref="LoginUrl"/> at a fake.
/// </summary>
public sealed class OneDriveOptions
{
    public const string SectionName = "Koppel:Providers:OneDrive";

    /// <summary>One upload-session fragment must be a multiple of 320 KiB (Microsoft Graph's rule).</summary>
    public const int FragmentUnit = 320 * 1024;

    /// <summary>Microsoft Graph, version included.</summary>
    public Uri BaseUrl { get; set; } = new("https://graph.microsoft.com/v1.0/");

    /// <summary>The Microsoft identity platform: <c>{LoginUrl}{tenant}/oauth2/v2.0/authorize</c> and <c>…/token</c>.</summary>
    public Uri LoginUrl { get; set; } = new("https://login.microsoftonline.com/");

    /// <summary>The application (client) id of Koppel's app registration.</summary>
    public string? ClientId { get; set; }

    /// <summary>The app's client secret; prefer leaving it empty here: it is then read from the secret store under <see cref="ClientSecretName"/>.</summary>
    public string? ClientSecret { get; set; }

    public string ClientSecretName { get; set; } = "onedrive-client-secret";

    /// <summary>The redirect URI registered with the app: the platform page that hands code and state to Koppel's callback.</summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>Delegated permissions asked for at consent; <c>offline_access</c> brings the refresh token.</summary>
    public string Scopes { get; set; } = "offline_access User.Read Files.ReadWrite.All";

    /// <summary>Files up to this size go in one PUT; larger ones through an upload session (Microsoft's long-standing guidance: 4 MB).</summary>
    public long SingleUploadLimitBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>Bytes per upload-session fragment, rounded down to a multiple of 320 KiB (at least one unit); one fragment is in memory at a time.</summary>
    public int ChunkBytes { get; set; } = 32 * FragmentUnit;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Renew an access token this long before it expires (Entra's live 60–90 minutes).</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The fragment size actually used: <see cref="ChunkBytes"/> rounded down to a multiple of 320 KiB.</summary>
    public int FragmentBytes => Math.Max(1, ChunkBytes / FragmentUnit) * FragmentUnit;

    public override string ToString() =>
        $"BaseUrl={BaseUrl}, LoginUrl={LoginUrl}, ClientId={ClientId}, ClientSecret={(string.IsNullOrEmpty(ClientSecret) ? "(from the secret store)" : "(set, hidden)")}, RedirectUri={RedirectUri}";
}
