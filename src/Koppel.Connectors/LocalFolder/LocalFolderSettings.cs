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
        new(PathKey, "Absolute path of the folder to deliver into. It must exist; Koppel creates the dossier and kind subfolders in it.", Required: true),
        new(LayoutKey, "Subfolder per document kind below the dossier folder; {kind} becomes e.g. SalesInvoice. Empty puts all kinds together.", DefaultValue: DefaultLayout),
    ];

    public static LocalFolderSettings From(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();

        var path = SettingsReader.Required(settings, PathKey, problems, "the folder to deliver into");
        if (path.Length > 0 && !Path.IsPathFullyQualified(path))
        {
            problems.Add($"'{PathKey}' must be an absolute path, not '{path}'.");
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
