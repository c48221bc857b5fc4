using System.Globalization;
using System.Text;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Venice;

/// <summary>
/// Settings of a Venice WebConnect connection: the Venice user (HTTP Basic; password secret), the dossier and
/// financial year (both confirmed by the connection test), the sales and purchase books, default GL accounts and
/// VAT codes by rate.
/// </summary>
public sealed class VeniceSettings
{
    public const string UserKey = "user";
    public const string PasswordKey = "password";
    public const string DossierKey = "dossierId";
    public const string FinancialYearKey = "financialYear";
    public const string SalesBookKey = "salesBook";
    public const string PurchaseBookKey = "purchaseBook";
    public const string SalesAccountKey = "salesAccount";
    public const string PurchaseAccountKey = "purchaseAccount";

    /// <summary>Venice's VAT codes are not publicly documented: these defaults name the rate; change them per connection.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultVatCodes = new Dictionary<string, string>
    {
        ["21"] = "21",
        ["12"] = "12",
        ["6"] = "6",
        ["0"] = "0",
        ["AE"] = "MC",
        ["K"] = "IC",
        ["G"] = "EX",
        ["E"] = "VR",
        ["O"] = "VR",
    };

    private VeniceSettings()
    {
    }

    public string User { get; private init; } = string.Empty;

    public string Password { get; private init; } = string.Empty;

    public string DossierId { get; private init; } = string.Empty;

    /// <summary>Null only while the connection test is asked which years answer.</summary>
    public int? FinancialYear { get; private init; }

    public string SalesBook { get; private init; } = string.Empty;

    public string PurchaseBook { get; private init; } = string.Empty;

    public string SalesAccount { get; private init; } = "700000";

    public string PurchaseAccount { get; private init; } = "604000";

    public VatCodeMap VatCodes { get; private init; } = null!;

    /// <summary>The HTTP Basic header value; it carries the password, so it goes nowhere but the request.</summary>
    internal string Authorization => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));

    internal SecretRedactor Redactor => new(Password, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(UserKey, "Venice user name (WebConnect must be active for the dossier; the user needs administrator rights).", Required: true),
        new(PasswordKey, "Password of that Venice user.", Required: true, Secret: true),
        new(DossierKey, "Venice dossier id as it appears in WebConnect addresses; the connection test confirms it.", Required: true),
        new(FinancialYearKey, "Financial year to book in, e.g. 2026; the connection test lists the years that answer.", Required: true),
        new(SalesBookKey, "Venice sales book (journal) code for sales invoices and credit notes.", Required: true),
        new(PurchaseBookKey, "Venice purchase book (journal) code for purchase invoices and credit notes.", Required: true),
        new(SalesAccountKey, "GL account that sales are posted to.", DefaultValue: "700000"),
        new(PurchaseAccountKey, "GL account that purchases are posted to.", DefaultValue: "604000"),
        .. VatCodeMap.Fields(DefaultVatCodes, "Venice"),
    ];

    /// <summary>Reads the settings; <paramref name="forTest"/> lets a connection test run before the year and books are chosen.</summary>
    public static VeniceSettings From(ConnectorSettings settings, bool forTest = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();
        var user = SettingsReader.Required(settings, UserKey, problems, "the Venice user name");
        var password = settings.Get(PasswordKey) is { Length: > 0 } secret ? secret : string.Empty;
        if (password.Length == 0)
        {
            problems.Add($"'{PasswordKey}' (the Venice password) is required.");
        }

        var dossier = SettingsReader.Required(settings, DossierKey, problems, "the Venice dossier id");
        if (dossier.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
        {
            problems.Add($"'{DossierKey}' may hold only letters, digits, '-' and '_', not '{dossier}'.");
        }

        int? year = null;
        var yearText = SettingsReader.Optional(settings, FinancialYearKey);
        if (yearText is null)
        {
            if (!forTest)
            {
                problems.Add($"'{FinancialYearKey}' (the financial year, e.g. 2026) is required; the connection test lists the years that answer.");
            }
        }
        else if (int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is > 1990 and < 2200)
        {
            year = parsed;
        }
        else
        {
            problems.Add($"'{FinancialYearKey}' must be a year such as 2026, not '{yearText}'.");
        }

        var salesBook = forTest ? SettingsReader.Optional(settings, SalesBookKey) ?? string.Empty : SettingsReader.Required(settings, SalesBookKey, problems, "the sales book");
        var purchaseBook = forTest ? SettingsReader.Optional(settings, PurchaseBookKey) ?? string.Empty : SettingsReader.Required(settings, PurchaseBookKey, problems, "the purchase book");

        problems.ThrowIfAny("Venice");
        return new VeniceSettings
        {
            User = user,
            Password = password,
            DossierId = dossier,
            FinancialYear = year,
            SalesBook = salesBook,
            PurchaseBook = purchaseBook,
            SalesAccount = SettingsReader.Optional(settings, SalesAccountKey) ?? "700000",
            PurchaseAccount = SettingsReader.Optional(settings, PurchaseAccountKey) ?? "604000",
            VatCodes = VatCodeMap.From(settings, DefaultVatCodes),
        };
    }

    public override string ToString() => $"venice user {User}, dossier {DossierId}, year {FinancialYear}";
}
