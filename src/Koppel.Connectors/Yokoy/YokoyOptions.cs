namespace Koppel.Connectors.Yokoy;

/// <summary>
/// Operator settings of the Yokoy connector (<c>Koppel:Providers:Yokoy</c>): the API host and the token host.
/// Yokoy's test environment is <c>https://api.test.yokoy.ai/v1/</c> and <c>https://accounts.test.yokoy.ai/</c>.
/// </summary>
public sealed class YokoyOptions
{
    public const string Section = "Koppel:Providers:Yokoy";

    public Uri BaseUrl { get; set; } = new("https://api.yokoy.ai/v1/");

    /// <summary>Where <c>/oauth2/token</c> lives.</summary>
    public Uri TokenUrl { get; set; } = new("https://accounts.yokoy.ai/");
}
