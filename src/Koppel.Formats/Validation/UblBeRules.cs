using System.Collections.Frozen;
using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// Rules for Belgian UBL.BE (e-FFF 3) documents. The official UBL.BE schematron (GLOBALUBL.BE) is not
/// replicated here; these are Koppel's checks of the UBL.BE conventions, reported under KOPPEL-UBLBE-*
/// codes as warnings, plus the official Peppol check of the Belgian enterprise number
/// (PEPPOL-COMMON-R043, fatal). UBL.BE documents are not judged by Peppol BIS rules such as R004.
/// </summary>
public static class UblBeRules
{
    public const string LayerName = "UBL.BE";

    public const string SoftwareReferenceRule = "KOPPEL-UBLBE-SOFTWARE-REF";
    public const string LineVatRule = "KOPPEL-UBLBE-LINE-VAT";
    public const string TaxCategoryNameRule = "KOPPEL-UBLBE-TAX-NAME";
    public const string ExemptionCodeRule = "KOPPEL-UBLBE-BETE";

    /// <summary>Belgian tax category names (BTCC) written in TaxCategory/Name, and the rate the first four imply.</summary>
    private static readonly FrozenDictionary<string, decimal?> TaxCategoryNames = new Dictionary<string, decimal?>
    {
        ["00"] = 0m,
        ["01"] = 6m,
        ["02"] = 12m,
        ["03"] = 21m,
        ["00/44"] = null,
        ["03/SE"] = null,
        ["44"] = null,
        ["45"] = null,
        ["46/GO"] = null,
        ["46/TR"] = null,
        ["47/AS"] = null,
        ["47/DI"] = null,
        ["47/EX"] = null,
        ["47/SE"] = null,
        ["47/TO"] = null,
        ["87/US"] = null,
        ["FD"] = null,
        ["MA"] = null,
        ["NA"] = null,
        ["NS"] = null,
        ["OSS-G"] = null,
        ["OSS-I"] = null,
        ["OSS-S"] = null,
        ["SC"] = null,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static ValidationLayerResult Validate(UblDocument document) =>
        RuleLayer.Run(LayerName, document, CheckSoftwareReference, CheckLines, CheckTaxCategories, PeppolRules.CheckIdentifiers);

    private static void CheckSoftwareReference(RuleFindings f) =>
        f.Check(
            f.Document.AdditionalDocumentReferences.Any(r => r.Id == "UBL.BE"),
            SoftwareReferenceRule,
            "A UBL.BE document should carry an AdditionalDocumentReference with ID 'UBL.BE' naming the producing software.",
            f.Root,
            FindingSeverity.Warning);

    private static void CheckLines(RuleFindings f)
    {
        foreach (var line in f.Document.Lines)
        {
            f.Check(line.TaxTotalCount > 0, LineVatRule, "UBL.BE asks for the line VAT amount (cac:TaxTotal) on every invoice line.", f.Line(line), FindingSeverity.Warning);
        }
    }

    private static void CheckTaxCategories(RuleFindings f)
    {
        var d = f.Document;
        var categories = d.TaxTotals.SelectMany(t => t.Subtotals).Select(s => s.Category)
            .Concat(d.Lines.Select(l => l.TaxCategory))
            .Concat(d.AllowanceCharges.Select(a => a.TaxCategory))
            .OfType<UblTaxCategory>();
        foreach (var c in categories)
        {
            if (c.Name is { } name)
            {
                if (!TaxCategoryNames.TryGetValue(name, out var impliedRate))
                {
                    f.Add(TaxCategoryNameRule, FindingSeverity.Warning, $"'{name}' is not a Belgian tax category name (00, 01, 02, 03, 45, NA, …).", "//cbc:Name");
                }
                else if (impliedRate is { } rate && c.Percent is { } percent && percent != rate)
                {
                    f.Add(TaxCategoryNameRule, FindingSeverity.Warning, $"Tax category name '{name}' means {rate}% but the rate is {percent}%.", "//cbc:Percent");
                }
            }

            if (c.ExemptionReasonCode is { } code && code.StartsWith("BETE-", StringComparison.OrdinalIgnoreCase))
            {
                var known = code[5..] is var suffix && (suffix == "EX" || (TaxCategoryNames.ContainsKey(suffix) && suffix is not ("01" or "02" or "03")));
                f.Check(known, ExemptionCodeRule, $"'{code}' is not a known Belgian exemption reason code (BETE-…).", "//cbc:TaxExemptionReasonCode", FindingSeverity.Warning);
            }
        }
    }
}
