using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.LocalFolder;

/// <summary>
/// Settings of a local-folder connection: the folder (on this machine or a mounted share) and how
/// documents are spread over subfolders in it. Nothing here is secret.
/// </summary>
public sealed record LocalFolderSettings
{
    public const string PathKey = "path";
    public const string LayoutKey = "layout";
    public const string KindPlaceholder = "{kind}";
    public const string DefaultLayout = KindPlaceholder + "/";

    private LocalFolderSettings(string rootPath, string layout)
    {
        RootPath = rootPath;
        Layout = layout;
    }

    /// <summary>The folder Koppel writes into; it must exist, Koppel only creates subfolders in it.</summary>
    public string RootPath { get; }

    /// <summary>The subfolder per document kind below the dossier folder; <c>{kind}</c> is replaced by the kind's name.</summary>
    public string Layout { get; }

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(PathKey, $"The folder to deliver into: inside one of the base folders the operator allows ({LocalFolderOptions.Section}:AllowedRoots), absolute or relative to the first. It must exist; Koppel creates the dossier and kind subfolders in it.", Required: true),
        new(LayoutKey, "Subfolder per document kind below the dossier folder; {kind} becomes e.g. SalesInvoice. Empty puts all kinds together.", DefaultValue: DefaultLayout),
    ];

    public static LocalFolderSettings From(ConnectorSettings settings, IReadOnlyList<string> allowedRoots)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(allowedRoots);
        var problems = new SettingsProblems();

        var path = SettingsReader.Required(settings, PathKey, problems, "the folder to deliver into");
        if (path.Length > 0)
        {
            path = ContainedPath(path, allowedRoots, problems) ?? path;
        }

        // An explicitly empty layout is a choice (no kind subfolder); only a missing one gets the default.
        var layout = settings.Get(LayoutKey)?.Trim() ?? DefaultLayout;
        var segments = layout.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (Path.IsPathRooted(layout) || segments.Any(s => s is "." or ".."))
        {
            problems.Add($"'{LayoutKey}' must be a relative subfolder without '..', not '{layout}'.");
        }

        problems.ThrowIfAny("local-folder");
        return new LocalFolderSettings(path, layout);
    }

    /// <summary>
    /// The full path of <paramref name="path"/> when it lies inside an allowed root, with no <c>..</c> segment and no
    /// symbolic link between the root and it (a link could lead anywhere on the server).
    /// </summary>
    private static string? ContainedPath(string path, IReadOnlyList<string> roots, SettingsProblems problems)
    {
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Any(s => s is ".."))
        {
            problems.Add($"'{PathKey}' must not contain '..'.");
            return null;
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Path.IsPathFullyQualified(path) ? path : Path.Combine(roots[0], path)));
        var root = roots.FirstOrDefault(r => full == r || full.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal));
        if (root is null)
        {
            problems.Add($"'{PathKey}' must lie inside a base folder the operator allows ({LocalFolderOptions.Section}:AllowedRoots).");
            return null;
        }

        for (var folder = full; folder.Length > root.Length; folder = Path.GetDirectoryName(folder)!)
        {
            if (new DirectoryInfo(folder) is { Exists: true, LinkTarget: not null })
            {
                problems.Add($"'{PathKey}' must not pass through a symbolic link below the base folder.");
                return null;
            }
        }

        return full;
    }

    /// <summary>The folder of one document relative to <see cref="RootPath"/>, with '/' separators: <c>{dossier}/{kind}</c>.</summary>
    public string RelativeFolderFor(string dossierId, DocumentKind kind)
    {
        var kindFolder = Layout.Replace(KindPlaceholder, kind.ToString(), StringComparison.OrdinalIgnoreCase);
        var segments = kindFolder.Replace('\\', '/')
            .Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(FileNameSanitizer.Sanitize)
            .Prepend(FileNameSanitizer.Sanitize(dossierId));
        return string.Join('/', segments);
    }
}
