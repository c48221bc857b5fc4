namespace Koppel.Server.Security;

/// <summary>
/// Configuration section <c>Koppel:Api</c>. Keys are configured by their SHA-256 hash, so the configuration
/// holds nothing that lets anyone call the API.
/// </summary>
public sealed class ApiOptions
{
    public const string SectionName = "Koppel:Api";

    public List<ApiKeyOptions> Keys { get; set; } = [];
}

public sealed class ApiKeyOptions
{
    /// <summary>Who the key belongs to; shown in run logs and history as the actor.</summary>
    public string Name { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the key. Make one with <c>printf %s "$KEY" | sha256sum</c>.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary>Enterprise numbers the key may see; "*" for all.</summary>
    public List<string> Dossiers { get; set; } = [];
}
