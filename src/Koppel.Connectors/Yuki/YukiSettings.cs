using System.Globalization;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Yuki;

/// <summary>Whether Yuki gets a document booked (structured data) or as a file for its own processing.</summary>
public enum YukiMode
{
    Book,
    HandOver,
}

public enum YukiCountry
{
    BE,
    NL,
}

/// <summary>
/// Settings of a Yuki connection. The API key (Yuki's "webservice access key") is a secret: it comes from the
/// secret store and never appears in <see cref="ToString"/>, results or messages.
/// </summary>
public sealed class YukiSettings
{
    public const string ApiKeyKey = "apiKey";
    public const string CountryKey = "country";
    public const string AdministrationIdKey = "administrationId";
    public const string SalesInvoiceModeKey = "salesInvoiceMode";
    public const string PurchaseInvoiceModeKey = "purchaseInvoiceMode";
    public const string GlAccountCodeKey = "glAccountCode";
    public const string CodaKey = "coda";
    public const string OtherDocumentsKey = "otherDocuments";
    public const string CreatePartiesKey = "createParties";
    public const string ExpenseClaimFolderIdKey = "expenseClaimFolderId";
    public const string ProcessKey = "process";
    public const string DailyQuotaKey = "dailyQuota";

    public const int DefaultDailyQuota = 1000;

    /// <summary>Yuki's "to be handled by Yuki" folder, where expense claims go unless another folder is chosen.</summary>
    public const int DefaultExpenseClaimFolder = 7;

    private static readonly int[] AllowedQuotas = [1000, 5000, 10000];

    private YukiSettings()
    {
    }

    public string ApiKey { get; private init; } = string.Empty;

    public YukiCountry Country { get; private init; } = YukiCountry.BE;

    /// <summary>Null until the user picked one from the connection test's choices.</summary>
    public Guid? AdministrationId { get; private init; }

    public YukiMode SalesInvoiceMode { get; private init; } = YukiMode.Book;

    public YukiMode PurchaseInvoiceMode { get; private init; } = YukiMode.HandOver;

    public string? GlAccountCode { get; private init; }

    public bool Coda { get; private init; } = true;

    public bool OtherDocuments { get; private init; } = true;

    /// <summary>A customer not among the synced Yuki contacts may be created by the booking (Yuki's own behaviour).</summary>
    public bool CreateParties { get; private init; } = true;

    public int ExpenseClaimFolderId { get; private init; } = DefaultExpenseClaimFolder;

    /// <summary>Sales invoices are booked at once (true) or left for the bookkeeper to process in Yuki.</summary>
    public bool Process { get; private init; } = true;

    public int DailyQuota { get; private init; } = DefaultDailyQuota;

    internal SecretRedactor Redactor => new(ApiKey);

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(ApiKeyKey, "Yuki webservice access key (Yuki: Settings → My domain → Webservices). A domain key or an administration key.", Required: true, Secret: true),
        new(CountryKey, "Where the Yuki account lives: BE (api.yukiworks.be) or NL (api.yukiworks.nl); a key works on its own country's host only.", DefaultValue: "BE"),
        new(AdministrationIdKey, "The Yuki administration (GUID) documents go to; pick it from the choices of Test connection.", Required: true),
        new(SalesInvoiceModeKey, "'book': sales invoices are booked through Yuki's Sales service; 'handover': the UBL goes to Yuki's sales folder for recognition.", DefaultValue: "book"),
        new(PurchaseInvoiceModeKey, "'handover' (the UBL with its PDF goes to Yuki's purchase folder). 'book' is accepted but also hands over: booking purchases needs Yuki partner credentials.", DefaultValue: "handover"),
        new(GlAccountCodeKey, "Default revenue GL account code for booked sales invoice lines, e.g. 700000. Required when sales invoices are booked."),
        new(CodaKey, "Send CODA bank statements to Yuki's bank folder (true/false).", DefaultValue: "true"),
        new(OtherDocumentsKey, "Send other documents (PDFs) to Yuki's 'to be handled' folder (true/false).", DefaultValue: "true"),
        new(CreatePartiesKey, "A booked sales invoice whose customer is not among the synced Yuki contacts (matched by VAT number, enterprise number, then exact name) creates the contact in Yuki (true), or is refused until the contact exists (false). The history says which it was.", DefaultValue: "true"),
        new(ExpenseClaimFolderIdKey, "Yuki folder id for expense claims.", DefaultValue: "7"),
        new(ProcessKey, "Booked sales invoices are processed at once (true) or left for review in Yuki (false).", DefaultValue: "true"),
        new(DailyQuotaKey, "The domain's daily web-service call quota: 1000 (default), 5000 (Webservice option) or 10000 (extended).", DefaultValue: "1000"),
    ];

    /// <summary>
    /// Reads and checks every setting. <paramref name="forConnectionTest"/>: the administration and the GL account
    /// may still be missing, because the connection test is where the user finds the administrations.
    /// </summary>
    /// <param name="forConnectionTest">Settings still being filled in: the administration and GL account may be missing.</param>
    /// <param name="bookingSalesInvoice">The GL account is needed only to book a sales invoice, not for the other kinds.</param>
    public static YukiSettings From(ConnectorSettings settings, bool forConnectionTest = false, bool bookingSalesInvoice = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();

        // The key is taken as it is, apart from surrounding blanks a copy-paste adds.
        var apiKey = settings.Get(ApiKeyKey)?.Trim() ?? string.Empty;
        if (apiKey.Length == 0)
        {
            problems.Add($"'{ApiKeyKey}' (the Yuki webservice access key) is required.");
        }

        var country = YukiCountry.BE;
        if (SettingsReader.Optional(settings, CountryKey) is { } countryText && !Enum.TryParse(countryText.ToUpperInvariant(), out country))
        {
            problems.Add($"'{CountryKey}' must be BE or NL, not '{countryText}'.");
        }

        Guid? administration = null;
        if (SettingsReader.Optional(settings, AdministrationIdKey) is { } adminText)
        {
            if (Guid.TryParse(adminText, out var parsed))
            {
                administration = parsed;
            }
            else
            {
                problems.Add($"'{AdministrationIdKey}' must be a Yuki administration id (a GUID as listed by Test connection), not '{adminText}'.");
            }
        }
        else if (!forConnectionTest)
        {
            problems.Add($"'{AdministrationIdKey}' is required: run Test connection and pick the Yuki administration.");
        }

        var salesMode = Mode(settings, SalesInvoiceModeKey, YukiMode.Book, problems);
        var purchaseMode = Mode(settings, PurchaseInvoiceModeKey, YukiMode.HandOver, problems);
        var glAccount = SettingsReader.Optional(settings, GlAccountCodeKey);
        if (salesMode == YukiMode.Book && glAccount is null && !forConnectionTest && bookingSalesInvoice)
        {
            problems.Add($"'{GlAccountCodeKey}' (the default revenue GL account, e.g. 700000) is required when '{SalesInvoiceModeKey}' is 'book'.");
        }

        var folder = DefaultExpenseClaimFolder;
        if (SettingsReader.Optional(settings, ExpenseClaimFolderIdKey) is { } folderText
            && !(int.TryParse(folderText, NumberStyles.None, CultureInfo.InvariantCulture, out folder) && folder >= 0))
        {
            problems.Add($"'{ExpenseClaimFolderIdKey}' must be a Yuki folder number, not '{folderText}'.");
        }

        var quota = DefaultDailyQuota;
        if (SettingsReader.Optional(settings, DailyQuotaKey) is { } quotaText
            && !(int.TryParse(quotaText, NumberStyles.None, CultureInfo.InvariantCulture, out quota) && AllowedQuotas.Contains(quota)))
        {
            problems.Add($"'{DailyQuotaKey}' must be 1000, 5000 or 10000 (Yuki's quota options), not '{quotaText}'.");
        }

        var result = new YukiSettings
        {
            ApiKey = apiKey,
            Country = country,
            AdministrationId = administration,
            SalesInvoiceMode = salesMode,
            PurchaseInvoiceMode = purchaseMode,
            GlAccountCode = glAccount,
            Coda = Flag(settings, CodaKey, true, problems),
            OtherDocuments = Flag(settings, OtherDocumentsKey, true, problems),
            CreateParties = Flag(settings, CreatePartiesKey, true, problems),
            ExpenseClaimFolderId = folder,
            Process = Flag(settings, ProcessKey, true, problems),
            DailyQuota = quota,
        };
        problems.ThrowIfAny("Yuki");
        return result;
    }

    /// <summary>What is still missing before documents can be delivered, in the user's words; null when nothing is.</summary>
    public string? MissingForDelivery() =>
        SalesInvoiceMode == YukiMode.Book && GlAccountCode is null
            ? $"Set '{GlAccountCodeKey}' (the default revenue GL account) to book sales invoices."
            : null;

    public YukiMode ModeFor(DocumentKind kind) => kind switch
    {
        DocumentKind.SalesInvoice => SalesInvoiceMode,
        DocumentKind.PurchaseInvoice => PurchaseInvoiceMode,
        _ => YukiMode.HandOver,
    };

    public override string ToString() =>
        $"Yuki {Country}, administration {AdministrationId?.ToString() ?? "(not chosen)"}, sales {SalesInvoiceMode}, purchases {PurchaseInvoiceMode} (key hidden)";

    private static YukiMode Mode(ConnectorSettings settings, string name, YukiMode defaultValue, SettingsProblems problems) =>
        SettingsReader.Optional(settings, name)?.ToLowerInvariant() switch
        {
            null => defaultValue,
            "book" => YukiMode.Book,
            "handover" or "hand-over" => YukiMode.HandOver,
            var other => Problem(problems, $"'{name}' must be 'book' or 'handover', not '{other}'.", defaultValue),
        };

    private static bool Flag(ConnectorSettings settings, string name, bool defaultValue, SettingsProblems problems) =>
        SettingsReader.Optional(settings, name)?.ToLowerInvariant() switch
        {
            null => defaultValue,
            "true" or "on" or "yes" or "1" => true,
            "false" or "off" or "no" or "0" => false,
            var other => Problem(problems, $"'{name}' must be true or false, not '{other}'.", defaultValue),
        };

    private static T Problem<T>(SettingsProblems problems, string problem, T fallback)
    {
        problems.Add(problem);
        return fallback;
    }
}
