namespace Koppel.Connectors.ExactOnline;

/// <summary>
/// Operator settings of the Exact Online connector (<c>Koppel:Providers:ExactOnline</c>): the app registered in Exact's
/// App Center and where Exact lives. Never a user's setting: tests and the sandbox point <see cref="BaseUrl"/> at a fake.
/// </summary>
public sealed class ExactOnlineOptions
{
    public const string SectionName = "Koppel:Providers:ExactOnline";

    /// <summary>The countries Exact Online runs in; each has its own host, for sign-in and for the API.</summary>
    public static IReadOnlyList<string> Countries { get; } = ["be", "nl", "de", "fr", "co.uk", "com"];

    private const string RealHostPrefix = "start.exactonline.";

    /// <summary>
    /// Exact's host. When it is one of Exact's own hosts (the default), a connection's <c>country</c> picks the country's
    /// host; any other URL (a fake, a sandbox) is used as is for every connection.
    /// </summary>
    public Uri BaseUrl { get; set; } = new("https://start.exactonline.be/");

    /// <summary>The app's client id from the App Center.</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// The app's client secret. Prefer leaving it empty here: it is then read from the secret store under
    /// <see cref="ClientSecretName"/> (Key Vault in Azure).
    /// </summary>
    public string? ClientSecret { get; set; }

    public string ClientSecretName { get; set; } = "exact-online-client-secret";

    /// <summary>The redirect URI registered with the app: the platform page that hands code and state to Koppel's callback.</summary>
    public Uri? RedirectUri { get; set; }

    /// <summary>Exact's published default limits per app and division.</summary>
    public int CallsPerMinute { get; set; } = 60;

    public int CallsPerDay { get; set; } = 5000;

    /// <summary>Retries of idempotent reads (GET) after a 5xx or a network error; writes are never retried blindly.</summary>
    public int ReadRetries { get; set; } = 2;

    public TimeSpan ReadRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a division check and a looked-up GL account or postbox stay remembered.</summary>
    public TimeSpan LookupCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The host for a connection in <paramref name="country"/> (be, nl, de, fr, co.uk, com).</summary>
    public Uri HostFor(string country)
    {
        ArgumentNullException.ThrowIfNull(country);
        return BaseUrl.Host.StartsWith(RealHostPrefix, StringComparison.OrdinalIgnoreCase)
            ? new Uri($"https://{RealHostPrefix}{country}/")
            : BaseUrl;
    }

    public override string ToString() =>
        $"BaseUrl={BaseUrl}, ClientId={ClientId}, ClientSecret={(string.IsNullOrEmpty(ClientSecret) ? "(from the secret store)" : "(set, hidden)")}, RedirectUri={RedirectUri}";
}
