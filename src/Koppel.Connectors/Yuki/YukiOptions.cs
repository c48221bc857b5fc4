namespace Koppel.Connectors.Yuki;

/// <summary>
/// Operator settings of the Yuki connector, bound from <c>Koppel:Providers:Yuki</c>. Yuki serves each country
/// from its own host and a key only works on its own country's host, so there are two base URLs: <see cref="BaseUrl"/>
/// (Belgium, the default country) and <see cref="BaseUrlNl"/>. Tests and the sandbox point both at the fake.
/// </summary>
public sealed class YukiOptions
{
    public const string SectionName = "Koppel:Providers:Yuki";

    /// <summary>The Belgian web services, ending in <c>/ws/</c>; services are <c>{BaseUrl}{Service}.asmx</c>.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.yukiworks.be/ws/");

    /// <summary>The Dutch web services (<c>Koppel:Providers:Yuki:BaseUrlNl</c>).</summary>
    public Uri BaseUrlNl { get; set; } = new("https://api.yukiworks.nl/ws/");

    /// <summary>
    /// How long a session from Authenticate is reused. Yuki's Postman documentation speaks of 24 hours; we stay
    /// well under it, and an "invalid session" fault re-authenticates once anyway.
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(20);

    public Uri BaseUrlFor(YukiCountry country) => country == YukiCountry.NL ? BaseUrlNl : BaseUrl;
}
