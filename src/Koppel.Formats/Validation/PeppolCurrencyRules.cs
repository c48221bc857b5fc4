using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// PEPPOL-EN16931-CL007 (every currencyID an ISO 4217 code of the artefact's own list) and PEPPOL-EN16931-R051 (2025.11): every amount's currencyID equals the document currency (BT-5), except the VAT total
/// in accounting currency (a TaxTotal without subtotals, BT-111) and line-level tax totals. The artefact compares the
/// attribute with the DocumentCurrencyCode as written, so a missing document currency makes every amount fail.
/// </summary>
internal static class PeppolCurrencyRules
{
    public static void Check(RuleFindings f)
    {
        var d = f.Document;
        // R051 compares each currencyID with DocumentCurrencyCode as written, whitespace included.
        var currency = d.DocumentCurrencyCodeAsWritten ?? d.DocumentCurrencyCode;
        foreach (var use in d.AmountCurrencies)
        {
            f.Check(PeppolCodeLists.ISO4217.Contains(use.CurrencyId), "PEPPOL-EN16931-CL007", $"Currency code '{use.CurrencyId}' must be according to ISO 4217:2005.", $"//cbc:{use.ElementName}/@currencyID");
        }

        void Amount(UblAmount? amount, string path)
        {
            // No currencyID, or no invoice currency, fails too: the artefact's @currencyID = $documentCurrencyCode is then false.
            if (amount is not null && (amount.CurrencyId is null || amount.CurrencyId != currency))
            {
                f.Add("PEPPOL-EN16931-R051", Findings.FindingSeverity.Fatal, $"currencyID '{amount.CurrencyId}' differs from the invoice currency '{currency}' (BT-5).", path);
            }
        }

        void AllowanceCharges(IEnumerable<UblAllowanceCharge> items, string path)
        {
            foreach (var item in items)
            {
                Amount(item.Amount, path + "/cbc:Amount");
                Amount(item.BaseAmount, path + "/cbc:BaseAmount");
            }
        }

        AllowanceCharges(d.AllowanceCharges, f.Path("cac:AllowanceCharge"));
        foreach (var total in d.TaxTotals.Where(t => t.Subtotals.Count > 0))
        {
            Amount(total.TaxAmount, f.Path("cac:TaxTotal/cbc:TaxAmount"));
            foreach (var subtotal in total.Subtotals)
            {
                Amount(subtotal.TaxableAmount, f.Path("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxableAmount"));
                Amount(subtotal.TaxAmount, f.Path("cac:TaxTotal/cac:TaxSubtotal/cbc:TaxAmount"));
            }
        }

        if (d.Totals is { } t)
        {
            var at = f.Path("cac:LegalMonetaryTotal");
            foreach (var amount in new[] { t.LineExtensionAmount, t.TaxExclusiveAmount, t.TaxInclusiveAmount, t.AllowanceTotalAmount, t.ChargeTotalAmount, t.PrepaidAmount, t.PayableRoundingAmount, t.PayableAmount })
            {
                Amount(amount, at);
            }
        }

        foreach (var line in d.Lines)
        {
            var at = f.Line(line);
            Amount(line.LineExtensionAmount, at + "/cbc:LineExtensionAmount");
            AllowanceCharges(line.AllowanceCharges, at + "/cac:AllowanceCharge");
            if (line.Price is { } price)
            {
                Amount(price.Amount, at + "/cac:Price/cbc:PriceAmount");
                AllowanceCharges(price.AllowanceCharges, at + "/cac:Price/cac:AllowanceCharge");
            }
        }
    }
}
