using System.Globalization;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Octopus;

/// <summary>How a kind of invoice reaches Octopus.</summary>
public enum OctopusMode
{
    /// <summary>Booked as a sales or purchase booking (<c>buysellbookings</c>).</summary>
    Book,

    /// <summary>Handed over to the Octopus document inbox (file-import API) for the bookkeeper to process.</summary>
    HandOver,
}

/// <summary>
/// Settings of an Octopus connection: the Octopus login (password secret), the dossier, and how invoices are
/// booked (journals, default GL accounts, VAT codes by rate) or handed over.
/// </summary>
public sealed class OctopusSettings
{
    public const string UserKey = "user";
    public const string PasswordKey = "password";
    public const string DossierKey = "dossierId";
    public const string BookYearKey = "bookYearId";
    public const string SalesJournalKey = "salesJournal";
    public const string PurchaseJournalKey = "purchaseJournal";
    public const string SalesAccountKey = "salesAccount";
    public const string PurchaseAccountKey = "purchaseAccount";
    public const string ModePrefix = "mode.";

    /// <summary>Octopus' usual Belgian VAT codes; each can be changed per connection.</summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultVatCodes = new Dictionary<string, string>
    {
        ["21"] = "21",
        ["12"] = "12",
        ["6"] = "06",
        ["0"] = "00",
        ["AE"] = "MC",
        ["K"] = "IC",
        ["G"] = "EX",
        ["E"] = "VR",
        ["O"] = "VR",
    };

    private OctopusSettings()
    {
    }

    public string User { get; private init; } = string.Empty;

    public string Password { get; private init; } = string.Empty;

    public int DossierId { get; private init; }

    /// <summary>Null: the book year is the one whose period holds the invoice date.</summary>
    public int? BookYearId { get; private init; }

    public string SalesJournal { get; private init; } = "V1";

    public string PurchaseJournal { get; private init; } = "A1";

    public string SalesAccount { get; private init; } = "700000";

    public string PurchaseAccount { get; private init; } = "604000";

    public VatCodeMap VatCodes { get; private init; } = null!;

    public IReadOnlyDictionary<DocumentKind, OctopusMode> Modes { get; private init; } = new Dictionary<DocumentKind, OctopusMode>();

    internal SecretRedactor Redactor => new(Password);

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(UserKey, "Octopus user name (a user with the web-service module).", Required: true),
        new(PasswordKey, "Password of that Octopus user.", Required: true, Secret: true),
        new(DossierKey, "Octopus dossier to book in; the connection test lists the dossiers the user can reach.", Required: true),
        new(BookYearKey, "Octopus book year id; leave empty to use the book year whose period holds the invoice date (the connection test lists them)."),
        new(SalesJournalKey, "Journal code for sales invoices and credit notes.", DefaultValue: "V1"),
        new(PurchaseJournalKey, "Journal code for purchase invoices and credit notes.", DefaultValue: "A1"),
        new(SalesAccountKey, "GL account that booked sales invoices are posted to.", DefaultValue: "700000"),
        new(PurchaseAccountKey, "GL account that booked purchase invoices are posted to.", DefaultValue: "604000"),
        new(ModePrefix + DocumentKind.SalesInvoice, "book (a sales booking) or handover (the Octopus document inbox).", DefaultValue: "book"),
        new(ModePrefix + DocumentKind.PurchaseInvoice, "book (a purchase booking) or handover (the Octopus document inbox, for the bookkeeper).", DefaultValue: "handover"),
        .. VatCodeMap.Fields(DefaultVatCodes, "Octopus"),
    ];

    public static OctopusSettings From(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();
        var user = SettingsReader.Required(settings, UserKey, problems, "the Octopus user name");
        var password = settings.Get(PasswordKey) is { Length: > 0 } secret ? secret : string.Empty;
        if (password.Length == 0)
        {
            problems.Add($"'{PasswordKey}' (the Octopus password) is required.");
        }

        var dossierText = SettingsReader.Optional(settings, DossierKey);
        var dossierId = 0;
        if (dossierText is not null && !int.TryParse(dossierText, NumberStyles.None, CultureInfo.InvariantCulture, out dossierId))
        {
            problems.Add($"'{DossierKey}' must be the number of an Octopus dossier, not '{dossierText}'.");
        }

        int? bookYear = null;
        if (SettingsReader.Optional(settings, BookYearKey) is { } bookYearText)
        {
            if (int.TryParse(bookYearText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                bookYear = parsed;
            }
            else
            {
                problems.Add($"'{BookYearKey}' must be the number of an Octopus book year, not '{bookYearText}'.");
            }
        }

        var modes = new Dictionary<DocumentKind, OctopusMode>
        {
            [DocumentKind.SalesInvoice] = ReadMode(settings, DocumentKind.SalesInvoice, OctopusMode.Book, problems),
            [DocumentKind.PurchaseInvoice] = ReadMode(settings, DocumentKind.PurchaseInvoice, OctopusMode.HandOver, problems),
        };

        problems.ThrowIfAny("Octopus");
        return new OctopusSettings
        {
            User = user,
            Password = password,
            DossierId = dossierId,
            BookYearId = bookYear,
            SalesJournal = SettingsReader.Optional(settings, SalesJournalKey) ?? "V1",
            PurchaseJournal = SettingsReader.Optional(settings, PurchaseJournalKey) ?? "A1",
            SalesAccount = SettingsReader.Optional(settings, SalesAccountKey) ?? "700000",
            PurchaseAccount = SettingsReader.Optional(settings, PurchaseAccountKey) ?? "604000",
            VatCodes = VatCodeMap.From(settings, DefaultVatCodes),
            Modes = modes,
        };
    }

    /// <summary>The dossier, required for delivering (the connection test can run without it, to list the dossiers).</summary>
    public int RequireDossier() => DossierId > 0
        ? DossierId
        : throw new ConnectorConfigurationException($"Choose the Octopus dossier ('{DossierKey}'); the connection test lists the dossiers this user can reach.");

    public override string ToString() => $"octopus user {User}, dossier {DossierId}";

    private static OctopusMode ReadMode(ConnectorSettings settings, DocumentKind kind, OctopusMode defaultMode, SettingsProblems problems)
    {
        var text = SettingsReader.Optional(settings, ModePrefix + kind);
        switch (text?.ToLowerInvariant())
        {
            case null:
                return defaultMode;
            case "book":
                return OctopusMode.Book;
            case "handover":
                return OctopusMode.HandOver;
            default:
                problems.Add($"'{ModePrefix}{kind}' must be book or handover, not '{text}'.");
                return defaultMode;
        }
    }
}
