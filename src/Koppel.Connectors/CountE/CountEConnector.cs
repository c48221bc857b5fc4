using Koppel.Connectors.Common;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.CountE;

/// <summary>
/// Count-e (Belgian online accounting, docs/providers.md §13): user name, password, the API URL of the instance
/// (checked by the network guard: https, no internal address), the database name and the client number. The API is
/// not public; documents go through e-mail or SFTP until it is (<see cref="PendingApiConnector"/>, <see cref="ICountEDirectApi"/>).
/// </summary>
internal sealed class CountEConnector(NetworkGuard guard) : PendingApiConnector(guard)
{
    public const string Key = "count-e";
    public const string UserKey = "user";
    public const string PasswordKey = "password";
    public const string ApiUrlKey = "apiUrl";
    public const string DatabaseKey = "database";
    public const string CustomerNumberKey = "customerNumber";

    protected override string ProviderKey => Key;

    protected override string VendorName => "Count-e";

    protected override IReadOnlyList<SettingField> VendorFields { get; } =
    [
        new(UserKey, "Count-e user name.", Required: true),
        new(PasswordKey, "Password of that user.", Required: true, Secret: true),
        new(ApiUrlKey, "API URL of the Count-e instance (https).", Required: true),
        new(DatabaseKey, "Count-e database name.", Required: true),
        new(CustomerNumberKey, "Count-e client (customer) number.", Required: true),
    ];

    protected override void ValidateVendor(ConnectorSettings settings, SettingsProblems problems)
    {
        SettingsReader.Required(settings, UserKey, problems, "the Count-e user");
        if (string.IsNullOrEmpty(settings.Get(PasswordKey)))
        {
            problems.Add($"'{PasswordKey}' (the Count-e password) is required.");
        }

        HttpsUrl(settings, ApiUrlKey, problems, "the Count-e API URL");
        var database = SettingsReader.Required(settings, DatabaseKey, problems, "the Count-e database");
        if (database.Length > 0 && !database.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            problems.Add($"'{DatabaseKey}' may hold only letters, digits, '-', '_' and '.', not '{database}'.");
        }

        var customer = SettingsReader.Required(settings, CustomerNumberKey, problems, "the Count-e client number");
        if (customer.Length > 0 && !customer.All(char.IsAsciiDigit))
        {
            problems.Add($"'{CustomerNumberKey}' must be a number, not '{customer}'.");
        }
    }

    protected override IEnumerable<Uri> VendorUrls(ConnectorSettings settings) =>
        Uri.TryCreate(settings.Get(ApiUrlKey), UriKind.Absolute, out var url) ? [url] : [];
}
