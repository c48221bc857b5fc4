using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// Code list rules of the Peppol BIS 3 artefacts (2025.11) beside CL007/CL008, with the lists generated from the
/// artefact (PeppolCodeLists.g.cs): PEPPOL-EN16931-CL001 (attachment MIME code, as written), CL002/CL003 (allowance
/// and charge reason codes, UNCL 5189 / 7161, on every allowance or charge, prices included), CL006 (invoice period
/// description code, UNCL 2005), and P0104–P0111 (a VATEX exemption code on a cac:TaxCategory fixes its category).
/// </summary>
internal static class PeppolCodeListRules
{
    /// <summary>P0104–P0111: exemption reason code (upper-cased as the artefact does) → the only category it may go with.</summary>
    private static readonly (string Rule, string Code, string Category)[] ExemptionCategories =
    [
        ("PEPPOL-EN16931-P0104", "VATEX-EU-G", "G"),
        ("PEPPOL-EN16931-P0105", "VATEX-EU-O", "O"),
        ("PEPPOL-EN16931-P0106", "VATEX-EU-IC", "K"),
        ("PEPPOL-EN16931-P0107", "VATEX-EU-AE", "AE"),
        ("PEPPOL-EN16931-P0108", "VATEX-EU-D", "E"),
        ("PEPPOL-EN16931-P0109", "VATEX-EU-F", "E"),
        ("PEPPOL-EN16931-P0110", "VATEX-EU-I", "E"),
        ("PEPPOL-EN16931-P0111", "VATEX-EU-J", "E"),
    ];

    public static void Check(RuleFindings f)
    {
        var d = f.Document;
        var references = d.AdditionalDocumentReferences.Concat(d.Lines.SelectMany(l => l.DocumentReferences));
        foreach (var mime in references.Select(r => r.Attachment?.MimeCode).OfType<string>())
        {
            f.Check(PeppolCodeLists.MIMECODE.Contains(mime), "PEPPOL-EN16931-CL001", $"Mime code '{mime}' must be according to subset of IANA code list.", "//cbc:EmbeddedDocumentBinaryObject/@mimeCode");
        }

        var allowanceCharges = d.AllowanceCharges
            .Concat(d.Lines.SelectMany(l => l.AllowanceCharges))
            .Concat(d.Lines.SelectMany(l => l.Price?.AllowanceCharges ?? []));
        foreach (var ac in allowanceCharges)
        {
            if (ac.ReasonCode is not { } code)
            {
                continue;
            }

            // The artefact compares the indicator as written: " true" selects neither list.
            if (ac.ChargeIndicatorAsWritten == "false")
            {
                f.Check(PeppolCodeLists.UNCL5189.Contains(code), "PEPPOL-EN16931-CL002", $"Reason code '{code}' MUST be according to subset of UNCL 5189 D.16B.", "//cac:AllowanceCharge/cbc:AllowanceChargeReasonCode");
            }
            else if (ac.ChargeIndicatorAsWritten == "true")
            {
                f.Check(PeppolCodeLists.UNCL7161.Contains(code), "PEPPOL-EN16931-CL003", $"Reason code '{code}' MUST be according to UNCL 7161 D.16B.", "//cac:AllowanceCharge/cbc:AllowanceChargeReasonCode");
            }
        }

        foreach (var period in d.Lines.Select(l => l.InvoicePeriod).Prepend(d.InvoicePeriod))
        {
            if (period?.DescriptionCode is { } code)
            {
                f.Check(PeppolCodeLists.UNCL2005.Contains(code), "PEPPOL-EN16931-CL006", $"Invoice period description code '{code}' must be according to UNCL 2005 D.16B.", "//cac:InvoicePeriod/cbc:DescriptionCode");
            }
        }

        var taxCategories = d.TaxTotals.SelectMany(t => t.Subtotals).Select(s => s.Category).Concat(allowanceCharges.Select(a => a.TaxCategory)).OfType<UblTaxCategory>();
        foreach (var category in taxCategories)
        {
            if (category.ExemptionReasonCode?.ToUpperInvariant() is not { } code)
            {
                continue;
            }

            foreach (var (rule, exemption, expected) in ExemptionCategories)
            {
                if (code == exemption)
                {
                    f.Check(category.Code == expected, rule, $"An exemption reason code '{exemption}' MUST go with VAT category '{expected}' (found '{category.Code}').", "//cac:TaxCategory");
                }
            }
        }
    }
}
