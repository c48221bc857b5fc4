using System.Globalization;
using System.Xml.Linq;

namespace Koppel.Formats.Tests.Ubl.Support;

/// <summary>
/// Writes seeded, deterministic variants of real invoices and credit notes: one targeted change each, of the kinds
/// the official rules judge (amounts and totals, VAT categories and rates, code-list values, deleted and emptied
/// elements, whitespace around values, decimals, dates, type codes, identifiers with check digits, allowances and
/// charges) and invoices turned into credit notes (then changed once more). The same seed gives the same files on
/// every machine.
/// </summary>
internal static class UblMutantGenerator
{
    private const string Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    private const string Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    private const string InvoiceNs = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
    private const string CreditNoteNs = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";

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

    /// <summary>
    /// Identifiers with a scheme whose value has a check digit or a fixed form (GLN, Belgian enterprise number,
    /// Swedish, Norwegian and Danish organisation numbers, Italian VAT/fiscal codes): right and wrong ones.
    /// </summary>
    private static readonly (string Scheme, string Value)[] SchemeIdentifiers =
    [
        ("0088", "5790000435975"), ("0088", "5790000435976"), ("0088", "579000043597"), ("0088", "4000001000005"),
        ("0208", "0403170701"), ("0208", "0403170702"), ("0208", "BE0403170701"), ("0208", "403170701"),
        ("0007", "5560360793"), ("0007", "5560360794"), ("0007", "556036079"),
        ("0192", "987654325"), ("0192", "987654321"), ("0192", "98765432"),
        ("0184", "DK12345674"), ("0184", "12345674"), ("0184", "1234567"),
        ("0201", "AAAAAA"), ("0201", "AAAAAAAA"), ("0211", "IT12345678901"), ("0210", "RSSMRA85T10A562S"),
        ("9925", "BE0403170701"), ("0106", "12345678"), ("0190", "123456789012345678901"), ("0151", "12345678901"),
    ];

    private static readonly Func<XDocument, SplitMix64, string?>[] Mutations =
    [
        Amount, Amount, Total, VatCategory, VatRate, CodeList, CodeList, CodeList, CurrencyId, Delete, Delete, Empty, Whitespace, Date, TypeCode,
        Decimals, SchemeIdentifier, AllowanceOrCharge, AllowanceOrCharge, AsCreditNote,
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

    /// <summary>Writes each Invoice or CreditNote of an official unit test set (vefa testSet) as a document of its own.</summary>
    public static void WriteTestCases(string testSet, string folder, string prefix)
    {
        var cases = XDocument.Load(testSet, LoadOptions.PreserveWhitespace).Root!.Descendants()
            .Where(e => e.Name.NamespaceName is InvoiceNs or CreditNoteNs && e.Parent?.Name.LocalName == "test")
            .ToList();
        for (var i = 0; i < cases.Count; i++)
        {
            new XDocument(cases[i]).Save(Path.Combine(folder, $"{prefix}-{i + 1}.xml"), SaveOptions.DisableFormatting);
        }
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

    private static string? Decimals(XDocument xml, SplitMix64 random)
    {
        var element = PickOrNull(Leaves(xml, e => e.Attribute("currencyID") is not null || e.Name.LocalName is "Percent" or "BaseQuantity" or "InvoicedQuantity" or "CreditedQuantity"), random);
        if (element is null || !decimal.TryParse(element.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        var written = random.Next(5) switch
        {
            0 => Math.Round(value, 0).ToString("0", CultureInfo.InvariantCulture),
            1 => value.ToString("0.0##", CultureInfo.InvariantCulture),
            2 => value.ToString("0.000", CultureInfo.InvariantCulture),
            3 => value.ToString("0.0000", CultureInfo.InvariantCulture),
            _ => value.ToString("0.00", CultureInfo.InvariantCulture) + "0",
        };
        return Set(element, written);
    }

    private static string? SchemeIdentifier(XDocument xml, SplitMix64 random)
    {
        var element = PickOrNull(Leaves(xml, e => e.Attribute("schemeID") is not null && e.Name.LocalName is "EndpointID" or "ID" or "CompanyID" && e.Parent?.Name.LocalName is not ("TaxScheme" or "TaxCategory" or "ClassifiedTaxCategory")), random);
        if (element is null)
        {
            return null;
        }

        var (scheme, value) = random.Pick(SchemeIdentifiers);
        var before = $"{element.Attribute("schemeID")!.Value}:{element.Value}";
        element.SetAttributeValue("schemeID", scheme);
        element.Value = value;
        return $"{Locate(element)} '{before}' -> '{scheme}:{value}'";
    }

    /// <summary>Changes an allowance or charge: its indicator, reason, amount, base and percentage, or copies it.</summary>
    private static string? AllowanceOrCharge(XDocument xml, SplitMix64 random)
    {
        var item = PickOrNull(xml.Root!.Descendants(XName.Get("AllowanceCharge", Cac)).ToList(), random);
        if (item is null)
        {
            return null;
        }

        var path = Locate(item);
        switch (random.Next(7))
        {
            case 0:
                return Set(item.Element(XName.Get("ChargeIndicator", Cbc)), random.Pick(["true", "false", "1", "0", "TRUE", " true"]));
            case 1:
                var reasonCode = item.Element(XName.Get("AllowanceChargeReasonCode", Cbc));
                if (reasonCode is null)
                {
                    item.Element(XName.Get("ChargeIndicator", Cbc))?.AddAfterSelf(reasonCode = new XElement(XName.Get("AllowanceChargeReasonCode", Cbc)));
                }

                return Set(reasonCode, random.Pick(["95", "100", "41", "FC", "ABK", "ZZZ", "XYZ", "66"]));
            case 2:
                item.Elements(XName.Get("AllowanceChargeReason", Cbc)).Remove();
                item.Elements(XName.Get("AllowanceChargeReasonCode", Cbc)).Remove();
                return $"{path}: reason and reason code deleted";
            case 3:
                return Set(item.Element(XName.Get("MultiplierFactorNumeric", Cbc)) ?? item.Element(XName.Get("BaseAmount", Cbc)), random.Pick(["10", "12.5", "0", "-5", "200.00"]));
            case 4:
                var amount = item.Element(XName.Get("Amount", Cbc));
                return amount is null || !decimal.TryParse(amount.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
                    ? null
                    : Set(amount, (value + random.Pick([1m, -1m, 0.01m, 10m])).ToString(CultureInfo.InvariantCulture));
            case 5:
                item.AddAfterSelf(new XElement(item));
                return $"{path} repeated";
            default:
                var category = item.Element(XName.Get("TaxCategory", Cac));
                if (category is null)
                {
                    return null;
                }

                category.Remove();
                return $"{path}/TaxCategory deleted";
        }
    }

    /// <summary>Turns an invoice into a credit note (root, type code, lines, quantities), then changes it once more.</summary>
    private static string? AsCreditNote(XDocument xml, SplitMix64 random)
    {
        var root = xml.Root!;
        if (root.Name.NamespaceName != InvoiceNs)
        {
            return null;
        }

        foreach (var element in root.DescendantsAndSelf().ToList())
        {
            element.Name = (element.Name.NamespaceName, element.Name.LocalName) switch
            {
                (InvoiceNs, "Invoice") => XName.Get("CreditNote", CreditNoteNs),
                (Cbc, "InvoiceTypeCode") => XName.Get("CreditNoteTypeCode", Cbc),
                (Cac, "InvoiceLine") => XName.Get("CreditNoteLine", Cac),
                (Cbc, "InvoicedQuantity") => XName.Get("CreditedQuantity", Cbc),
                _ => element.Name,
            };
        }

        foreach (var declaration in root.Attributes().Where(a => a.IsNamespaceDeclaration && a.Value == InvoiceNs).ToList())
        {
            declaration.Value = CreditNoteNs;
        }

        var typeCode = root.Element(XName.Get("CreditNoteTypeCode", Cbc));
        typeCode?.SetValue("381");
        var next = random.Pick(Mutations);
        var change = next == AsCreditNote ? null : next(xml, random);
        return change is null ? "as credit note 381" : $"as credit note 381, then {change}";
    }

    private static string Locate(XElement element) =>
        string.Join('/', element.AncestorsAndSelf().Reverse().Skip(1).Select(e => e.Name.LocalName));
}
