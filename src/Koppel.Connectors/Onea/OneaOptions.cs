namespace Koppel.Connectors.Onea;

/// <summary>Operator setting of the Onea connector (<c>Koppel:Providers:Onea:BaseUrl</c>): the Transfer API host.</summary>
public sealed class OneaOptions
{
    public const string Section = "Koppel:Providers:Onea";

    public Uri BaseUrl { get; set; } = new("https://transfer.onea.be/restv1/");
}
