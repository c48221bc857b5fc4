using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// UBL syntax rules of the CEN artefacts 1.3.14.1 that are fatal there although their ids look like warnings.
/// UBL-DT-01: every element whose name ends in "Amount" (except PriceAmount and the amounts of a price's allowance)
/// has at most two decimals. Judged on the amounts the reader keeps (document, VAT breakdown, totals, lines and their
/// allowances and charges); a line's own TaxTotal (UBL.BE) is not kept by the reader and not checked here.
/// </summary>
internal static class En16931SyntaxRules
{
    public static void Check(RuleFindings f)
    {
        var d = f.Document;

        void Amount(UblAmount? amount, string path) =>
            f.Check(amount is null || amount.Value.Scale <= 2, "UBL-DT-01", $"Amount {amount?.Value} has more than two decimals.", path);

        foreach (var item in d.AllowanceCharges)
        {
            Amount(item.Amount, f.Path("cac:AllowanceCharge/cbc:Amount"));
            Amount(item.BaseAmount, f.Path("cac:AllowanceCharge/cbc:BaseAmount"));
        }

        foreach (var total in d.TaxTotals)
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
            foreach (var amount in new[] { t.LineExtensionAmount, t.TaxExclusiveAmount, t.TaxInclusiveAmount, t.AllowanceTotalAmount, t.ChargeTotalAmount, t.PrepaidAmount, t.PayableRoundingAmount, t.PayableAmount })
            {
                Amount(amount, f.Path("cac:LegalMonetaryTotal"));
            }
        }

        foreach (var line in d.Lines)
        {
            Amount(line.LineExtensionAmount, f.Line(line) + "/cbc:LineExtensionAmount");
            foreach (var item in line.AllowanceCharges)
            {
                Amount(item.Amount, f.Line(line) + "/cac:AllowanceCharge/cbc:Amount");
                Amount(item.BaseAmount, f.Line(line) + "/cac:AllowanceCharge/cbc:BaseAmount");
            }
        }
    }
}
