using Koppel.Connectors.Common;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.WingsOnline;

/// <summary>
/// Wings Online (docs/providers.md §14): a user whose name starts with <c>Wings8</c>, its password, the internal number
/// (Wings: Beheer/Management → Instellingen/Settings) and the sales and purchase journal codes to book into. Wings'
/// Web Service Module (SOAP over its XML import) is not publicly documented; documents go through e-mail or SFTP
/// until it is (<see cref="PendingApiConnector"/>, <see cref="IWingsDirectApi"/>).
/// </summary>
internal sealed class WingsOnlineConnector(NetworkGuard guard) : PendingApiConnector(guard)
{
    public const string Key = "wings-online";
    public const string UserKey = "user";
    public const string PasswordKey = "password";
    public const string InternalNumberKey = "internalNumber";
    public const string SalesJournalKey = "salesJournal";
    public const string PurchaseJournalKey = "purchaseJournal";

    protected override string ProviderKey => Key;

    protected override string VendorName => "Wings Online";

    protected override IReadOnlyList<SettingField> VendorFields { get; } =
    [
        new(UserKey, "Wings user name; it starts with Wings8.", Required: true),
        new(PasswordKey, "Password of that Wings user.", Required: true, Secret: true),
        new(InternalNumberKey, "Internal number (Wings: Beheer/Management → Instellingen/Settings).", Required: true),
        new(SalesJournalKey, "Wings journal code for sales invoices.", Required: true),
        new(PurchaseJournalKey, "Wings journal code for purchase invoices.", Required: true),
    ];

    protected override void ValidateVendor(ConnectorSettings settings, SettingsProblems problems)
    {
        var user = SettingsReader.Required(settings, UserKey, problems, "the Wings user, starting with Wings8");
        if (user.Length > 0 && !user.StartsWith("Wings8", StringComparison.Ordinal))
        {
            problems.Add($"'{UserKey}' must start with Wings8 (that is how Wings Online names its web-service users), not '{user}'.");
        }

        if (string.IsNullOrEmpty(settings.Get(PasswordKey)))
        {
            problems.Add($"'{PasswordKey}' (the Wings password) is required.");
        }

        var number = SettingsReader.Required(settings, InternalNumberKey, problems, "the Wings internal number");
        if (number.Length > 0 && !number.All(char.IsAsciiDigit))
        {
            problems.Add($"'{InternalNumberKey}' must be a number, not '{number}'.");
        }

        foreach (var (key, meaning) in new[] { (SalesJournalKey, "the sales journal code"), (PurchaseJournalKey, "the purchase journal code") })
        {
            var code = SettingsReader.Required(settings, key, problems, meaning);
            if (code.Length > 0 && (code.Length > 10 || !code.All(char.IsAsciiLetterOrDigit)))
            {
                problems.Add($"'{key}' must be a journal code of at most 10 letters or digits, not '{code}'.");
            }
        }
    }
}
