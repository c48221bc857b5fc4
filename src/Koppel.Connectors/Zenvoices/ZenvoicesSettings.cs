using Koppel.Connectors.Common;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Zenvoices;

/// <summary>
/// Settings of a Zenvoices connection: the API user (user name or e-mail, password secret) of the organisation
/// (Zenvoices' "tenancy name", the organisation code), and the company code whose inbox receives the invoices.
/// The user needs the API permissions "Inbox" and "Companies → List".
/// </summary>
public sealed class ZenvoicesSettings
{
    public const string UserKey = "user";
    public const string PasswordKey = "password";
    public const string OrganisationKey = "organisationCode";
    public const string CompanyKey = "companyCode";

    private ZenvoicesSettings()
    {
    }

    public string User { get; private init; } = string.Empty;

    public string Password { get; private init; } = string.Empty;

    public string Organisation { get; private init; } = string.Empty;

    /// <summary>Null only while the connection test is asked which companies the user reaches.</summary>
    public string? Company { get; private init; }

    internal SecretRedactor Redactor => new(Password);

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(UserKey, "Zenvoices user name or e-mail address of the API user (it needs the API permissions Inbox and Companies → List).", Required: true),
        new(PasswordKey, "Password of that user.", Required: true, Secret: true),
        new(OrganisationKey, "Zenvoices organisation code (the tenancy name shown at login).", Required: true),
        new(CompanyKey, "Code of the Zenvoices company whose inbox receives the purchase invoices; the connection test lists them.", Required: true),
    ];

    public static ZenvoicesSettings From(ConnectorSettings settings, bool forTest = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();
        var user = SettingsReader.Required(settings, UserKey, problems, "the Zenvoices user name or e-mail");
        var password = settings.Get(PasswordKey) is { Length: > 0 } p ? p : string.Empty;
        if (password.Length == 0)
        {
            problems.Add($"'{PasswordKey}' (the Zenvoices password) is required.");
        }

        var organisation = SettingsReader.Required(settings, OrganisationKey, problems, "the Zenvoices organisation code");
        var company = forTest ? SettingsReader.Optional(settings, CompanyKey) : SettingsReader.Required(settings, CompanyKey, problems, "the Zenvoices company code; the connection test lists them");
        problems.ThrowIfAny("Zenvoices");
        return new ZenvoicesSettings { User = user, Password = password, Organisation = organisation, Company = company };
    }

    public override string ToString() => $"zenvoices user {User}, organisation {Organisation}, company {Company}";
}
