using System.Globalization;
using System.Text.RegularExpressions;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.ExactOnline;

/// <summary>How one kind of invoice reaches Exact.</summary>
public enum ExactMode
{
    /// <summary>Handed over to the division's digital postbox, for the bookkeeper (or Exact's scanning service) to process.</summary>
    Postbox,

    /// <summary>Booked as a sales or purchase entry with the PDF attached.</summary>
    Book,
}

/// <summary>
/// Settings of an Exact Online connection. Nothing here is secret: the connection only remembers which consent
/// (<see cref="ConsentIdKey"/>) it uses, and that is written by the consent callback into the connection's credentials,
/// never by a user, so nobody can point a connection at another user's Exact consent.
/// </summary>
public sealed partial record ExactOnlineSettings
{
    public const string CountryKey = "country";
    public const string DivisionKey = "division";
    public const string SalesModeKey = "mode.SalesInvoice";
    public const string PurchaseModeKey = "mode.PurchaseInvoice";
    public const string SalesJournalKey = "salesJournal";
    public const string PurchaseJournalKey = "purchaseJournal";
    public const string SalesGLAccountKey = "salesGLAccount";
    public const string PurchaseGLAccountKey = "purchaseGLAccount";
    public const string VatCodesKey = "vatCodes";
    public const string CreatePartiesKey = "createParties";

    /// <summary>Set by the consent callback in the connection's credentials; not a user setting.</summary>
    public const string ConsentIdKey = "consentId";

    public string Country { get; private init; } = "be";

    /// <summary>The division (administration) code; null until the user picked one from the connection test's choices.</summary>
    public int? Division { get; private init; }

    public ExactMode SalesMode { get; private init; }

    public ExactMode PurchaseMode { get; private init; }

    public string? SalesJournal { get; private init; }

    public string? PurchaseJournal { get; private init; }

    public string? SalesGLAccount { get; private init; }

    public string? PurchaseGLAccount { get; private init; }

    /// <summary>Koppel's VAT key (rate like "21", or a UBL category like "AE") → the division's VAT code.</summary>
    public IReadOnlyDictionary<string, string> VatCodes { get; private init; } = new Dictionary<string, string>();

    public string? ConsentId { get; private init; }

    /// <summary>A booked invoice whose customer or supplier Exact does not have may create the account (today's behaviour).</summary>
    public bool CreateParties { get; private init; } = true;

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(CountryKey, $"The Exact Online country the administrations live in: {string.Join(", ", ExactOnlineOptions.Countries)}.", DefaultValue: "be"),
        new(DivisionKey, "The division (administration) code to deliver to; the connection test lists the divisions the Exact user can reach."),
        new(SalesModeKey, "postbox: hand sales invoices to the division's digital postbox; book: book them as sales entries with the PDF attached.", DefaultValue: "postbox"),
        new(PurchaseModeKey, "postbox: hand purchase invoices to the digital postbox; book: book them as purchase entries with the PDF attached.", DefaultValue: "postbox"),
        new(SalesJournalKey, "Sales journal code (e.g. 70), needed to book sales invoices."),
        new(PurchaseJournalKey, "Purchase journal code (e.g. 60), needed to book purchase invoices."),
        new(SalesGLAccountKey, "GL account code for booked sales lines (e.g. 700000)."),
        new(PurchaseGLAccountKey, "GL account code for booked purchase lines (e.g. 604000)."),
        new(VatCodesKey, "VAT rate or UBL category → the division's VAT code, e.g. \"21=4;12=3;6=2;0=0;AE=10;K=11\". Needed to book."),
        new(CreatePartiesKey, "A booked invoice whose customer or supplier is not found (synced relations by VAT number, enterprise number, IBAN, exact name; then Exact itself) creates the account in Exact (true), or is refused until it exists (false). The history says which it was.", DefaultValue: "true"),
    ];

    /// <summary>Reads and checks the settings.</summary>
    /// <param name="settings">The connection's settings.</param>
    /// <param name="kinds">
    /// The kinds about to be delivered (or the connection takes, on save): booking settings are required only for the
    /// kinds of invoice among them. Null or empty: all kinds.
    /// </param>
    public static ExactOnlineSettings From(ConnectorSettings settings, IReadOnlyCollection<DocumentKind>? kinds = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();

        var country = SettingsReader.Optional(settings, CountryKey)?.ToLowerInvariant() ?? "be";
        if (!ExactOnlineOptions.Countries.Contains(country))
        {
            problems.Add($"'{CountryKey}' must be one of {string.Join(", ", ExactOnlineOptions.Countries)}, not '{country}'.");
        }

        int? division = null;
        if (SettingsReader.Optional(settings, DivisionKey) is { } divisionText)
        {
            if (int.TryParse(divisionText, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code > 0)
            {
                division = code;
            }
            else
            {
                problems.Add($"'{DivisionKey}' must be a division code (a whole number), not '{divisionText}'.");
            }
        }

        var result = new ExactOnlineSettings
        {
            Country = country,
            Division = division,
            SalesMode = Mode(settings, SalesModeKey, problems),
            PurchaseMode = Mode(settings, PurchaseModeKey, problems),
            SalesJournal = SettingsReader.Optional(settings, SalesJournalKey),
            PurchaseJournal = SettingsReader.Optional(settings, PurchaseJournalKey),
            SalesGLAccount = SettingsReader.Optional(settings, SalesGLAccountKey),
            PurchaseGLAccount = SettingsReader.Optional(settings, PurchaseGLAccountKey),
            VatCodes = VatCodeMap(settings, problems),
            ConsentId = SettingsReader.Optional(settings, ConsentIdKey),
            CreateParties = SettingsReader.Optional(settings, CreatePartiesKey) is not { } create || !bool.TryParse(create, out var allowed) || allowed,
        };
        if (SettingsReader.Optional(settings, CreatePartiesKey) is { } createText && !bool.TryParse(createText, out _))
        {
            problems.Add($"'{CreatePartiesKey}' must be true or false, not '{createText}'.");
        }

        if (result.ConsentId is not null && !ConsentIdPattern().IsMatch(result.ConsentId))
        {
            problems.Add("The connection's Exact consent reference is damaged; connect to Exact again.");
        }

        bool Takes(DocumentKind kind) => kinds is not { Count: > 0 } || kinds.Contains(kind);
        if (Takes(DocumentKind.SalesInvoice))
        {
            RequireBookingSettings(result.SalesMode, "sales", result.SalesJournal, SalesJournalKey, result.SalesGLAccount, SalesGLAccountKey, result.VatCodes, problems);
        }

        if (Takes(DocumentKind.PurchaseInvoice))
        {
            RequireBookingSettings(result.PurchaseMode, "purchase", result.PurchaseJournal, PurchaseJournalKey, result.PurchaseGLAccount, PurchaseGLAccountKey, result.VatCodes, problems);
        }

        problems.ThrowIfAny("Exact Online");
        return result;
    }

    /// <summary>The mode for a kind; only invoices can be booked, everything else goes to the postbox.</summary>
    public ExactMode ModeFor(DocumentKind kind) => kind switch
    {
        DocumentKind.SalesInvoice => SalesMode,
        DocumentKind.PurchaseInvoice => PurchaseMode,
        _ => ExactMode.Postbox,
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{0,99}$")]
    internal static partial Regex ConsentIdPattern();

    private static ExactMode Mode(ConnectorSettings settings, string key, SettingsProblems problems)
    {
        var text = SettingsReader.Optional(settings, key);
        switch (text?.ToLowerInvariant())
        {
            case null or "postbox":
                return ExactMode.Postbox;
            case "book":
                return ExactMode.Book;
            default:
                problems.Add($"'{key}' must be 'postbox' or 'book', not '{text}'.");
                return ExactMode.Postbox;
        }
    }

    private static Dictionary<string, string> VatCodeMap(ConnectorSettings settings, SettingsProblems problems)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = SettingsReader.Optional(settings, VatCodesKey);
        if (text is null)
        {
            return map;
        }

        foreach (var pair in text.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                problems.Add($"'{VatCodesKey}' must look like \"21=4;6=2;AE=10\"; '{pair}' does not.");
                continue;
            }

            map[NormaliseVatKey(parts[0])] = parts[1];
        }

        return map;
    }

    /// <summary>"21", "21.0", "21%" and "21,00" are one rate.</summary>
    internal static string NormaliseVatKey(string key)
    {
        var trimmed = key.Trim().TrimEnd('%').Replace(',', '.');
        return decimal.TryParse(trimmed, NumberStyles.Number, CultureInfo.InvariantCulture, out var rate)
            ? rate.ToString("0.##", CultureInfo.InvariantCulture)
            : trimmed.ToUpperInvariant();
    }

    private static void RequireBookingSettings(ExactMode mode, string what, string? journal, string journalKey, string? gl, string glKey, IReadOnlyDictionary<string, string> vatCodes, SettingsProblems problems)
    {
        if (mode != ExactMode.Book)
        {
            return;
        }

        if (journal is null)
        {
            problems.Add($"Booking {what} invoices needs '{journalKey}' (the journal code).");
        }

        if (gl is null)
        {
            problems.Add($"Booking {what} invoices needs '{glKey}' (the GL account code).");
        }

        if (vatCodes.Count == 0)
        {
            problems.Add($"Booking {what} invoices needs '{VatCodesKey}' (which VAT code each rate books with).");
        }
    }
}
