using System.Text.RegularExpressions;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.OneDrive;

/// <summary>
/// Settings of a OneDrive for Business connection: the Microsoft 365 tenant, the drive (picked from the connection
/// test), a base folder, the drive settings every cloud drive shares, and the consent reference the consent callback
/// keeps in the connection's credentials (never typed by a user).
/// </summary>
internal sealed partial record OneDriveSettings
{
    public const string TenantKey = "tenant";
    public const string DriveIdKey = "driveId";
    public const string FolderKey = "folder";
    public const string ConsentIdKey = "consentId";

    public required DriveSettings Drive { get; init; }

    public string Tenant { get; init; } = "organizations";

    /// <summary>The drive to write into; null until the user picked one from the connection test.</summary>
    public string? DriveId { get; init; }

    /// <summary>The folder in the drive every path template starts in; null for the drive's root.</summary>
    public string? Folder { get; init; }

    public string? ConsentId { get; init; }

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(TenantKey, "The Microsoft 365 tenant the OneDrive belongs to: its domain (bakkerij.onmicrosoft.com) or tenant id; 'organizations' lets any work account sign in.", DefaultValue: "organizations"),
        new(DriveIdKey, "The drive to deliver to (a OneDrive or a SharePoint document library); the connection test lists the drives the user can reach."),
        new(FolderKey, "The folder in the drive the path templates start in, e.g. /Boekhouding/Koppel; the connection test lists the folders at the top of the drive. Empty: the drive's root."),
        .. DriveSettings.Fields("OneDrive"),
    ];

    public static OneDriveSettings From(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();
        var drive = DriveSettings.From(settings, problems);
        var tenant = SettingsReader.Optional(settings, TenantKey) ?? "organizations";
        if (!TenantPattern().IsMatch(tenant))
        {
            problems.Add($"'{TenantKey}' must be a tenant domain (e.g. bakkerij.onmicrosoft.com), a tenant id or 'organizations', not '{tenant}'.");
        }

        var driveId = SettingsReader.Optional(settings, DriveIdKey);
        if (driveId is not null && !DriveIdPattern().IsMatch(driveId))
        {
            problems.Add($"'{DriveIdKey}' is not a drive id; pick one of the drives the connection test lists.");
        }

        var folder = SettingsReader.Optional(settings, FolderKey)?.Replace('\\', '/').Trim('/');
        if (folder is { Length: > 0 } && (folder.Split('/').Any(s => s is "" or "." or "..") || folder.IndexOfAny(['<', '>', ':', '"', '|', '?', '*', '#', '%']) >= 0))
        {
            problems.Add($"'{FolderKey}' must be a folder path like /Boekhouding/Koppel, without '.', '..' or any of < > : \" | ? * # %.");
        }

        var consent = SettingsReader.Optional(settings, ConsentIdKey);
        if (consent is not null && !ConsentPattern().IsMatch(consent))
        {
            problems.Add("The connection's Microsoft consent reference is damaged; connect to OneDrive again.");
        }

        problems.ThrowIfAny("OneDrive");
        return new OneDriveSettings { Drive = drive, Tenant = tenant, DriveId = driveId, Folder = string.IsNullOrEmpty(folder) ? null : folder, ConsentId = consent };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$")]
    private static partial Regex TenantPattern();

    [GeneratedRegex("^[A-Za-z0-9!_-]{1,200}$")]
    private static partial Regex DriveIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    internal static partial Regex ConsentPattern();
}
