using System.Text.RegularExpressions;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Dropbox;

/// <summary>
/// Settings of a Dropbox connection: the drive settings every cloud drive shares (format, path template per kind,
/// acknowledgements), the team space to write into, and the consent reference the consent callback keeps in the
/// connection's credentials (never typed by a user).
/// </summary>
internal sealed partial record DropboxSettings
{
    public const string NamespaceKey = "namespaceId";
    public const string ConsentIdKey = "consentId";

    public required DriveSettings Drive { get; init; }

    /// <summary>The team space's root namespace id; null writes into the signed-in member's own Dropbox.</summary>
    public string? NamespaceId { get; init; }

    public string? ConsentId { get; init; }

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(NamespaceKey, "For a Dropbox team: the team space's namespace id, so files land in the team space instead of the member's own folder. The connection test offers it. Empty: the signed-in user's own Dropbox."),
        .. DriveSettings.Fields("Dropbox"),
    ];

    public static DropboxSettings From(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();
        var drive = DriveSettings.From(settings, problems);
        var ns = SettingsReader.Optional(settings, NamespaceKey);
        if (ns is not null && !NamespacePattern().IsMatch(ns))
        {
            problems.Add($"'{NamespaceKey}' must be a Dropbox namespace id (digits only), not '{ns}'.");
        }

        var consent = SettingsReader.Optional(settings, ConsentIdKey);
        if (consent is not null && !ConsentPattern().IsMatch(consent))
        {
            problems.Add("The connection's Dropbox consent reference is damaged; connect to Dropbox again.");
        }

        problems.ThrowIfAny("Dropbox");
        return new DropboxSettings { Drive = drive, NamespaceId = ns, ConsentId = consent };
    }

    [GeneratedRegex("^[0-9]{1,20}$")]
    private static partial Regex NamespacePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    internal static partial Regex ConsentPattern();
}
