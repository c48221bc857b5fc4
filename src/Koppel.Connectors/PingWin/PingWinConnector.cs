using Koppel.Connectors.Common;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.PingWin;

/// <summary>
/// PingWin (Belgian desktop accounting, docs/providers.md §11): the fields partners ask for are the API key (set in
/// PingWin's file settings), the CLID (client id, requested from PingWin by e-mail) and the file (dossier) id. PingWin's
/// document API is a partner API not published; until its specification arrives documents go through e-mail or SFTP
/// (<see cref="PendingApiConnector"/>), and <see cref="IPingWinDirectApi"/> waits for it.
/// </summary>
internal sealed class PingWinConnector(NetworkGuard guard) : PendingApiConnector(guard)
{
    public const string Key = "pingwin";
    public const string ApiKeyKey = "apiKey";
    public const string ClidKey = "clid";
    public const string FileIdKey = "fileId";

    protected override string ProviderKey => Key;

    protected override string VendorName => "PingWin";

    protected override IReadOnlyList<SettingField> VendorFields { get; } =
    [
        new(ApiKeyKey, "PingWin API key, set in PingWin's file settings.", Required: true, Secret: true),
        new(ClidKey, "PingWin CLID (client id), requested from PingWin by e-mail.", Required: true),
        new(FileIdKey, "PingWin file (dossier) id.", Required: true),
    ];

    protected override void ValidateVendor(ConnectorSettings settings, SettingsProblems problems)
    {
        if (string.IsNullOrWhiteSpace(settings.Get(ApiKeyKey)))
        {
            problems.Add($"'{ApiKeyKey}' (the PingWin API key) is required.");
        }

        foreach (var (key, meaning) in new[] { (ClidKey, "the PingWin CLID"), (FileIdKey, "the PingWin file id") })
        {
            var value = SettingsReader.Required(settings, key, problems, meaning);
            if (value.Length > 0 && !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                problems.Add($"'{key}' may hold only letters, digits, '-' and '_', not '{value}'.");
            }
        }
    }
}
