using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// UBL syntax rules of the CEN artefacts 1.3.14.1 that are fatal there although their ids look like warnings.
/// UBL-DT-01: every element whose name ends in "Amount" (except PriceAmount and the amounts of a price's allowance)
/// has at most two characters after the '.', counted as written like the artefact does (" 100.00 " has three), on every
/// such element the reader passes, kept in the model or not (a UBL.BE line's own TaxTotal included).
/// </summary>
internal static class En16931SyntaxRules
{
    public static void Check(RuleFindings f)
    {
        var d = f.Document;

        // A value the XSD type refuses (an amount "1e2", a date "30/08/2018", a ChargeIndicator "TRUE"): the official
        // validators reject such a file at their schema step, which the schematron artefacts assume has passed.
        // Koppel has no schema step by default, so it says so here, and keeps judging the rest of the document.
        foreach (var bad in d.Syntax.UnreadableValues)
        {
            var what = bad.Rule switch
            {
                UblReadRules.BadDate => "a date (yyyy-MM-dd)",
                UblReadRules.BadBoolean => "true or false",
                _ => "a decimal number",
            };
            f.Add(bad.Rule, FindingSeverity.Fatal, $"{bad.Node.Element} is not {what}: '{bad.Node.Text}'.", bad.Node.Location);
        }

        foreach (var amount in d.Syntax.AmountsWithMoreDecimals)
        {
            f.Add("UBL-DT-01", FindingSeverity.Fatal, $"Amount '{amount.Text}' ({amount.Element}) has more than two decimals.", amount.Location);
        }

        CheckCardinality(f);
    }

    /// <summary>The UBL-SR rules (fatal in the artefact) on elements the model keeps: counts and required children.</summary>
    private static void CheckCardinality(RuleFindings f)
    {
        var d = f.Document;
        foreach (var line in d.Lines)
        {
            f.CheckLine(line.ClassifiedTaxCategoryCount == 1, "UBL-SR-48", "An invoice line shall have exactly one VAT category (Item/ClassifiedTaxCategory).", line, "/cac:Item");
            f.CheckLine((line.Price?.AllowanceCharges.Count(a => a.Amount is not null) ?? 0) <= 1, "UBL-SR-37", "An item price shall have at most one price discount.", line, "/cac:Price");
        }

        foreach (var reference in d.AdditionalDocumentReferences)
        {
            f.Check(
                reference.TypeCode == "130" || (d.Kind == UblDocumentKind.CreditNote && reference.TypeCode == "50") || (reference.IdSchemeId is null && reference.TypeCode is null),
                "UBL-SR-43",
                "A scheme identifier or a document type code on a supporting document reference is only allowed for an invoiced object (type code 130) or, on a credit note, a project reference (50).",
                f.Path("cac:AdditionalDocumentReference"));
        }

        f.Check(d.BillingReferenceIds.All(id => id is not null), "UBL-SR-07", "A preceding invoice reference (BillingReference) shall have an invoice document reference with its number.", f.Path("cac:BillingReference"));
        f.Check(d.PaymentIdsAsWritten.Distinct(StringComparer.Ordinal).Count() <= 1, "UBL-SR-44", "An invoice shall have at most one distinct payment reference (PaymentID).", f.Path("cac:PaymentMeans/cbc:PaymentID"));
        f.Check(d.PaymentMeansCodesAsWritten.Distinct(StringComparer.Ordinal).Count() <= 1, "UBL-SR-47", "When there are several payment means, they shall all have the same payment means code.", f.Path("cac:PaymentMeans/cbc:PaymentMeansCode"));
        if (d.Supplier is { } supplier)
        {
            // The artefact reads a missing TaxScheme/ID as "", which is not VAT.
            bool IsVat(UblPartyTaxScheme t) => string.Equals(t.TaxSchemeId, "VAT", StringComparison.OrdinalIgnoreCase);
            f.Check(supplier.TaxSchemes.Count(t => t.CompanyId is not null && IsVat(t)) <= 1, "UBL-SR-12", "The seller shall have at most one VAT identifier.", f.Path("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme"));
            f.Check(supplier.TaxSchemes.Count(t => t.CompanyId is not null && !IsVat(t)) <= 1, "UBL-SR-13", "The seller shall have at most one tax registration identifier.", f.Path("cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme"));
        }

        if (d.Payee is { } payee)
        {
            // UBL-SR-19/20/21 each end in "and PayeeParty/PartyName/Name != the seller's RegistrationName": with either
            // name missing, or both equal, all three fail in the artefact. Koppel reports what the artefact reports.
            var namesDiffer = payee.TradingName is not null && d.Supplier?.LegalName is { } sellerName && payee.TradingName != sellerName;
            var at = f.Path("cac:PayeeParty");
            f.Check(namesDiffer, "UBL-SR-19", "The payee (BG-10) shall have one name, different from the seller's legal name.", at);
            f.Check(namesDiffer && payee.Identifiers.Count(i => i.SchemeId is { } s && !string.Equals(s, "SEPA", StringComparison.OrdinalIgnoreCase)) <= 1, "UBL-SR-20", "The payee (BG-10) shall have at most one identifier (other than SEPA), and a name different from the seller's legal name.", at);
            f.Check(namesDiffer, "UBL-SR-21", "The payee (BG-10) shall have at most one legal registration identifier, and a name different from the seller's legal name.", at);
        }

        foreach (var party in new[] { d.Supplier, d.Customer, d.Payee, d.TaxRepresentative })
        {
            foreach (var scheme in party?.TaxSchemes ?? [])
            {
                f.Check(scheme.CompanyId is not null && scheme.TaxSchemeId is not null, "UBL-SR-53", "A party tax scheme shall have both a tax identifier (CompanyID) and a tax scheme identifier (TaxScheme/ID).", "//cac:PartyTaxScheme");
            }
        }
    }
}
