namespace Koppel.Connectors.Venice;

/// <summary>Operator setting of the Venice connector (<c>Koppel:Providers:Venice:BaseUrl</c>): the WebConnect host.</summary>
public sealed class VeniceOptions
{
    public const string Section = "Koppel:Providers:Venice";

    public Uri BaseUrl { get; set; } = new("https://ponte.venice.be/webconnect/api/");
}
