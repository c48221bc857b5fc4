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
    public const string AuthKey = "auth";
    public const string ClientIdKey = "clientId";
    public const string ClientSecretKey = "clientSecret";
    public const string DriveUserKey = "driveUser";
    public const string DriveSiteKey = "driveSite";

    public required DriveSettings Drive { get; init; }

    public string Tenant { get; init; } = "organizations";

    /// <summary>The drive to write into; null until the user picked one from the connection test.</summary>
    public string? DriveId { get; init; }

    /// <summary>The folder in the drive every path template starts in; null for the drive's root.</summary>
    public string? Folder { get; init; }

    public string? ConsentId { get; init; }

    /// <summary>Application mode: the connection signs in with its own app registration (client credentials), no user.</summary>
    public bool Application { get; init; }

    /// <summary>Application mode: the app registration's client id (its secret stays in the connection's credentials).</summary>
    public string? ClientId { get; init; }

    /// <summary>Application mode: whose drives the connection test lists, a user (UPN or id) or a SharePoint site id.</summary>
    public string? DriveUser { get; init; }

    public string? DriveSite { get; init; }

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(TenantKey, "The Microsoft 365 tenant the OneDrive belongs to: its domain (bakkerij.onmicrosoft.com) or tenant id; 'organizations' lets any work account sign in.", DefaultValue: "organizations"),
        new(DriveIdKey, "The drive to deliver to (a OneDrive or a SharePoint document library); the connection test lists the drives the user can reach."),
        new(FolderKey, "The folder in the drive the path templates start in, e.g. /Boekhouding/Koppel; the connection test lists the folders at the top of the drive. Empty: the drive's root."),
        new(AuthKey, "'delegated' (default): a user of the tenant signs in and consents; 'application': the connection uses an app registration of the tenant (client credentials, admin-consented Files.ReadWrite.All or Sites.ReadWrite.All), no user.", DefaultValue: "delegated"),
        new(ClientIdKey, "With auth 'application': the application (client) id of the tenant's app registration."),
        new(ClientSecretKey, "With auth 'application': a client secret of that app registration.", Secret: true),
        new(DriveUserKey, "With auth 'application' and no drive picked yet: the user (e.g. boekhouding@bakkerij.be) whose drives the connection test lists."),
        new(DriveSiteKey, "With auth 'application' and no drive picked yet: the SharePoint site id (host,site-guid,web-guid) whose document libraries the connection test lists."),
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

        var application = SettingsReader.Optional(settings, AuthKey)?.ToLowerInvariant() switch
        {
            null or "delegated" => false,
            "application" => true,
            var other => Problem(problems, $"'{AuthKey}' must be 'delegated' or 'application', not '{other}'."),
        };
        var clientId = SettingsReader.Optional(settings, ClientIdKey);
        var driveUser = SettingsReader.Optional(settings, DriveUserKey);
        var driveSite = SettingsReader.Optional(settings, DriveSiteKey);
        if (application)
        {
            if (tenant is "organizations" or "common" or "consumers")
            {
                problems.Add($"With auth 'application', '{TenantKey}' must name the tenant (its domain or tenant id): an app registration signs in to one tenant.");
            }

            if (clientId is null)
            {
                problems.Add($"With auth 'application', '{ClientIdKey}' (the app registration's client id) is required.");
            }
            else if (!ClientIdPattern().IsMatch(clientId))
            {
                problems.Add($"'{ClientIdKey}' is not an application (client) id.");
            }

            if (driveUser is not null && !DriveUserPattern().IsMatch(driveUser))
            {
                problems.Add($"'{DriveUserKey}' must be a user's sign-in name (name@domain) or id.");
            }

            if (driveSite is not null && !DriveSitePattern().IsMatch(driveSite))
            {
                problems.Add($"'{DriveSiteKey}' must be a SharePoint site id (host,site-guid,web-guid).");
            }
        }

        problems.ThrowIfAny("OneDrive");
        return new OneDriveSettings
        {
            Drive = drive,
            Tenant = tenant,
            DriveId = driveId,
            Folder = string.IsNullOrEmpty(folder) ? null : folder,
            ConsentId = consent,
            Application = application,
            ClientId = application ? clientId : null,
            DriveUser = application ? driveUser : null,
            DriveSite = application ? driveSite : null,
        };
    }

    /// <summary>The app registration of an application-mode connection; its secret comes from the connection's credentials.</summary>
    public OneDriveAppLogin AppLogin(ConnectorSettings settings) => new(
        Tenant,
        ClientId ?? throw new ConnectorConfigurationException($"With auth 'application', '{ClientIdKey}' is required."),
        SettingsReader.Optional(settings, ClientSecretKey)
            ?? throw new ConnectorConfigurationException($"With auth 'application', enter the app registration's client secret ('{ClientSecretKey}')."));

    private static bool Problem(SettingsProblems problems, string problem)
    {
        problems.Add(problem);
        return false;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$")]
    private static partial Regex TenantPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,99}$")]
    private static partial Regex ClientIdPattern();

    [GeneratedRegex("^[A-Za-z0-9._%+'-]{1,100}(@[A-Za-z0-9.-]{1,253})?$")]
    private static partial Regex DriveUserPattern();

    [GeneratedRegex("^[A-Za-z0-9.-]{1,253}(,[A-Za-z0-9-]{1,64}){0,2}$")]
    private static partial Regex DriveSitePattern();

    [GeneratedRegex("^[A-Za-z0-9!_-]{1,200}$")]
    private static partial Regex DriveIdPattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    internal static partial Regex ConsentPattern();
}
