namespace Koppel.Connectors.Zenvoices;

/// <summary>Operator setting of the Zenvoices connector (<c>Koppel:Providers:Zenvoices:BaseUrl</c>): the Zenvoices host.</summary>
public sealed class ZenvoicesOptions
{
    public const string Section = "Koppel:Providers:Zenvoices";

    public Uri BaseUrl { get; set; } = new("https://app.zenvoices.com/");
}
