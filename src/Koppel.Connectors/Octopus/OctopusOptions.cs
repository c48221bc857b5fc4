namespace Koppel.Connectors.Octopus;

/// <summary>
/// Operator settings of the Octopus connector (<c>Koppel:Providers:Octopus</c>): where the two APIs live and the
/// software-house UUID Octopus issued to this Koppel installation. Users never see or set these.
/// </summary>
public sealed class OctopusOptions
{
    public const string Section = "Koppel:Providers:Octopus";

    public Uri BaseUrl { get; set; } = new("https://service.inaras.be/octopus-rest-api/v1/");

    public Uri FileImportBaseUrl { get; set; } = new("https://service.inaras.be/octopus-file-import-api/v1/");

    /// <summary>Issued by Octopus on request; sent as the <c>softwareHouseUuid</c> header when logging in.</summary>
    public string? SoftwareHouseUuid { get; set; }
}
