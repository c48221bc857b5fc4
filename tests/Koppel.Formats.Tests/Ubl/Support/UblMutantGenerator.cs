using System.Globalization;
using System.Xml.Linq;

namespace Koppel.Formats.Tests.Ubl.Support;

/// <summary>
/// Writes seeded, deterministic variants of real invoices and credit notes: one targeted change each, of the kinds
/// the official rules judge (amounts and totals, VAT categories and rates, code-list values, deleted and emptied
/// elements, whitespace around values, dates, type codes). The same seed gives the same files on every machine.
/// </summary>
internal static class UblMutantGenerator
{
    private const string Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

    private static readonly string[] VatCategories = ["S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B", "X", "s", ""];
    private static readonly string[] Rates = ["0", "6", "12", "21", "25", "21.0", "7.5", "-21", "", " 21 "];
    private static readonly string[] Dates = ["2018-08-30Z", "30/08/2018", "2018-02-30", "2018-8-3", "2018-08-30+01:00", "", " 2018-08-30", "2017-01-01", "2030-12-31"];
    private static readonly string[] Numbers = ["0", "0.00", "1.005", "-100.00", "100", " 100.00 ", "1e2", "999999.99", "12.5", "0.01"];

    private static readonly (string Element, string? Attribute, string[] Values)[] CodeLists =
    [
        ("IdentificationCode", null, ["BE", "NL", "XX", "be", "GR", "EL", " BE"]),
        ("DocumentCurrencyCode", null, ["EUR", "USD", "XXX", "eur", "SEK"]),
        ("TaxCurrencyCode", null, ["EUR", "XXX", "SEK"]),
        ("InvoiceTypeCode", null, ["380", "381", "383", "386", "326", "999", "71", "388"]),
        ("CreditNoteTypeCode", null, ["381", "380", "396", "999", "261"]),
        ("PaymentMeansCode", null, ["30", "31", "58", "1", "999", "ZZZ", "49"]),
        ("TaxExemptionReasonCode", null, ["VATEX-EU-IC", "VATEX-EU-AE", "VATEX-XX", "vatex-eu-ic"]),
        ("AllowanceChargeReasonCode", null, ["95", "100", "ABK", "XYZ", "FC"]),
        ("InvoicedQuantity", "unitCode", ["C62", "EA", "XYZ", "HUR", "c62"]),
        ("CreditedQuantity", "unitCode", ["C62", "EA", "XYZ"]),
        ("EndpointID", "schemeID", ["0208", "0088", "9925", "9999", "EM", "0192"]),
        ("ID", "schemeID", ["0088", "0208", "9999", "SEPA", "0007"]),
        ("CompanyID", "schemeID", ["0208", "0007", "XX", "VAT"]),
        ("ItemClassificationCode", "listID", ["STI", "CPV", "ZZZ", "UNSPSC"]),
        ("DocumentTypeCode", null, ["130", "50", "999"]),
        ("EmbeddedDocumentBinaryObject", "mimeCode", ["application/pdf", "image/png", "text/plain", "application/zip"]),
    ];

    private static readonly Func<XDocument, SplitMix64, string?>[] Mutations =
    [
        Amount, Amount, Total, VatCategory, VatRate, CodeList, CodeList, CodeList, CurrencyId, Delete, Delete, Empty, Whitespace, Date, TypeCode,
    ];

    /// <summary>Writes <paramref name="count"/> mutants into <paramref name="folder"/>; returns file name → what was changed.</summary>
    public static IReadOnlyDictionary<string, string> Write(IReadOnlyList<string> baseFiles, string folder, int count, ulong seed)
    {
        var random = new SplitMix64(seed);
        var bases = baseFiles.Select(f => (Name: Path.GetFileNameWithoutExtension(f), Xml: XDocument.Load(f, LoadOptions.PreserveWhitespace))).ToList();
        var written = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; written.Count < count && i < count * 10; i++)
        {
            var (name, xml) = random.Pick(bases);
            var copy = new XDocument(xml);
            var change = random.Pick(Mutations)(copy, random);
            if (change is null)
            {
                continue;
            }

            var fileName = $"mutant-{written.Count:D4}.xml";
            copy.Save(Path.Combine(folder, fileName), SaveOptions.DisableFormatting);
            written[fileName] = $"{name}: {change}";
        }

        return written;
    }

    private static List<XElement> Leaves(XDocument xml, Func<XElement, bool>? where = null) =>
        xml.Root!.Descendants().Where(e => !e.HasElements && (where is null || where(e))).ToList();

    private static string? Set(XElement? element, string value)
    {
        if (element is null)
        {
            return null;
        }

        var before = element.Value;
        element.Value = value;
        return $"{Locate(element)} '{before}' -> '{value}'";
    }

    private static string? SetAttribute(XElement? element, string attribute, string value)
    {
        if (element is null)
        {
            return null;
        }

        var before = (string?)element.Attribute(attribute);
        element.SetAttributeValue(attribute, value);
        return $"{Locate(element)}/@{attribute} '{before}' -> '{value}'";
    }

    private static XElement? PickOrNull(List<XElement> items, SplitMix64 random) => items.Count == 0 ? null : random.Pick(items);

    private static string? Amount(XDocument xml, SplitMix64 random)
    {
        var element = PickOrNull(Leaves(xml, e => e.Attribute("currencyID") is not null || e.Name.LocalName is "Percent" or "BaseQuantity" or "InvoicedQuantity" or "CreditedQuantity" or "MultiplierFactorNumeric"), random);
        if (element is null)
        {
            return null;
        }

        if (random.Next(2) == 0 && decimal.TryParse(element.Value.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            var changed = random.Next(4) switch
            {
                0 => value + 0.01m,
                1 => value * 2,
                2 => -value,
                _ => Math.Round(value) + 0.005m,
            };
            return Set(element, changed.ToString(CultureInfo.InvariantCulture));
        }

        return Set(element, random.Pick(Numbers));
    }

    private static string? Total(XDocument xml, SplitMix64 random)
    {
        var element = PickOrNull(Leaves(xml, e => e.Parent?.Name.LocalName is "LegalMonetaryTotal" or "TaxTotal" or "TaxSubtotal"), random);
        if (element is null || !decimal.TryParse(element.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        return Set(element, (value + random.Pick([1m, -1m, 0.01m, 100m])).ToString(CultureInfo.InvariantCulture));
    }

    private static string? VatCategory(XDocument xml, SplitMix64 random) =>
        Set(PickOrNull(Leaves(xml, e => e.Name.LocalName == "ID" && e.Parent?.Name.LocalName is "TaxCategory" or "ClassifiedTaxCategory"), random), random.Pick(VatCategories));

    private static string? VatRate(XDocument xml, SplitMix64 random) =>
        Set(PickOrNull(Leaves(xml, e => e.Name.LocalName == "Percent" && e.Parent?.Name.LocalName is "TaxCategory" or "ClassifiedTaxCategory"), random), random.Pick(Rates));

    private static string? CodeList(XDocument xml, SplitMix64 random)
    {
        var (elementName, attribute, values) = random.Pick(CodeLists);
        var element = PickOrNull(Leaves(xml, e => e.Name.LocalName == elementName && (attribute is null || e.Attribute(attribute) is not null)), random);
        return attribute is null ? Set(element, random.Pick(values)) : SetAttribute(element, attribute, random.Pick(values));
    }

    private static string? CurrencyId(XDocument xml, SplitMix64 random) =>
        SetAttribute(PickOrNull(Leaves(xml, e => e.Attribute("currencyID") is not null), random), "currencyID", random.Pick(["EUR", "USD", "XXX", "eur", " EUR"]));

    private static string? Delete(XDocument xml, SplitMix64 random)
    {
        var element = PickOrNull(xml.Root!.Descendants().Where(e => e.Name.LocalName is not ("EmbeddedDocumentBinaryObject" or "UBLExtensions")).ToList(), random);
        if (element is null)
        {
            return null;
        }

        var path = Locate(element);
        element.Remove();
        return $"{path} deleted";
    }

    private static string? Empty(XDocument xml, SplitMix64 random) => Set(PickOrNull(Leaves(xml), random), random.Next(3) == 0 ? " " : "");

    private static string? Whitespace(XDocument xml, SplitMix64 random)
    {
        var element = PickOrNull(Leaves(xml, e => e.Value.Length is > 0 and < 200), random);
        return element is null ? null : Set(element, random.Pick([$" {element.Value}", $"{element.Value} ", $"\n\t{element.Value}\n"]));
    }

    private static string? Date(XDocument xml, SplitMix64 random) =>
        Set(PickOrNull(Leaves(xml, e => e.Name.LocalName.EndsWith("Date", StringComparison.Ordinal) && e.Name.NamespaceName == Cbc), random), random.Pick(Dates));

    private static string? TypeCode(XDocument xml, SplitMix64 random) =>
        Set(PickOrNull(Leaves(xml, e => e.Name.LocalName is "InvoiceTypeCode" or "CreditNoteTypeCode"), random), random.Pick(["380", "381", "384", "389", "751", "326", "396", "82"]));

    private static string Locate(XElement element) =>
        string.Join('/', element.AncestorsAndSelf().Reverse().Skip(1).Select(e => e.Name.LocalName));
}
