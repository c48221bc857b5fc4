using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.BoCount;

/// <summary>
/// BoCount (Belgian cloud accounting, docs/providers.md §12): a web-service user and password per client, the client's
/// company number (VAT or enterprise number), and the base URL of the accounting firm's own BoCount instance, which
/// the network guard checks (https, no internal address). The API is not public; documents go through e-mail or SFTP
/// until it is (<see cref="PendingApiConnector"/>, <see cref="IBoCountDirectApi"/>).
/// </summary>
internal sealed class BoCountConnector(NetworkGuard guard) : PendingApiConnector(guard)
{
    public const string Key = "bocount";
    public const string UserKey = "user";
    public const string PasswordKey = "password";
    public const string CompanyNumberKey = "companyNumber";
    public const string BaseUrlKey = "baseUrl";

    protected override string ProviderKey => Key;

    protected override string VendorName => "BoCount";

    protected override IReadOnlyList<SettingField> VendorFields { get; } =
    [
        new(UserKey, "BoCount web-service user name of this client.", Required: true),
        new(PasswordKey, "Password of that web-service user.", Required: true, Secret: true),
        new(CompanyNumberKey, "The client's VAT or enterprise number, e.g. BE0123.456.749.", Required: true),
        new(BaseUrlKey, "Base URL of the accounting firm's BoCount instance (https).", Required: true),
    ];

    protected override void ValidateVendor(ConnectorSettings settings, SettingsProblems problems)
    {
        SettingsReader.Required(settings, UserKey, problems, "the BoCount web-service user");
        if (string.IsNullOrEmpty(settings.Get(PasswordKey)))
        {
            problems.Add($"'{PasswordKey}' (the BoCount web-service password) is required.");
        }

        var number = SettingsReader.Required(settings, CompanyNumberKey, problems, "the client's VAT or enterprise number");
        if (number.Length > 0 && !EnterpriseNumber.TryParse(number, out _, out var problem))
        {
            problems.Add($"'{CompanyNumberKey}' is not a Belgian VAT or enterprise number: {problem}");
        }

        HttpsUrl(settings, BaseUrlKey, problems, "the firm's BoCount address");
    }

    protected override IEnumerable<Uri> VendorUrls(ConnectorSettings settings) =>
        Uri.TryCreate(settings.Get(BaseUrlKey), UriKind.Absolute, out var url) ? [url] : [];
}
