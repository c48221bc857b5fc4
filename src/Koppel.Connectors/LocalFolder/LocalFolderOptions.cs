namespace Koppel.Connectors.LocalFolder;

/// <summary>
/// The operator's limits for local-folder connections (<c>Koppel:Connectors:LocalFolder</c>). A local folder is a
/// path on the server itself, so users never choose it freely: every connection's path lies inside one of these.
/// </summary>
public sealed class LocalFolderOptions
{
    public const string Section = "Koppel:Connectors:LocalFolder";

    /// <summary>The default base folder when none is configured, relative to the server's working folder.</summary>
    public static readonly string DefaultRoot = Path.Combine(".koppel", "outbox");

    /// <summary>Base folders a connection may deliver into (absolute, or relative to the working folder).</summary>
    public IList<string> AllowedRoots { get; } = [];

    /// <summary>The allowed roots as full paths, the default one when none is configured.</summary>
    public IReadOnlyList<string> ResolvedRoots() =>
        [.. (AllowedRoots.Count == 0 ? [DefaultRoot] : AllowedRoots).Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r)))];
}
