using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;
using static Koppel.Formats.Validation.RuleMath;

namespace Koppel.Formats.Validation;

/// <summary>EN 16931 rules on document totals, document-level allowances and charges, and their decimals.</summary>
internal static class En16931TotalsRules
{
    public static void Check(RuleFindings f)
    {
        CheckDocumentAllowanceCharges(f);
        CheckTaxInclusiveTotal(f);
        CheckTaxTotals(f);
        if (f.Document.Totals is { } totals)
        {
            CheckMonetaryTotal(f, totals);
        }
    }

    private static void CheckMonetaryTotal(RuleFindings f, UblMonetaryTotal t)
    {
        var d = f.Document;
        var at = f.Path("cac:LegalMonetaryTotal");
        f.Check(t.LineExtensionAmount is not null, "BR-12", "An invoice shall have the sum of invoice line net amounts (BT-106).", at);
        f.Check(t.TaxExclusiveAmount is not null, "BR-13", "An invoice shall have the total amount without VAT (BT-109).", at);
        f.Check(t.TaxInclusiveAmount is not null, "BR-14", "An invoice shall have the total amount with VAT (BT-112).", at);
        f.Check(t.PayableAmount is not null, "BR-15", "An invoice shall have the amount due for payment (BT-115).", at);

        var lineSum = Round2(Sum(d.Lines.Select(l => l.LineExtensionAmount)));
        f.Check(
            t.LineExtensionAmount?.Value == lineSum,
            "BR-CO-10",
            $"The sum of line net amounts (BT-106) is {Show(t.LineExtensionAmount)} but the lines add up to {lineSum}.",
            at + "/cbc:LineExtensionAmount");

        var allowances = d.AllowanceCharges.Where(a => a.IsCharge == false).ToList();
        var charges = d.AllowanceCharges.Where(a => a.IsCharge == true).ToList();
        var allowanceSum = Round2(Sum(allowances.Select(a => a.Amount)));
        var chargeSum = Round2(Sum(charges.Select(a => a.Amount)));
        f.Check(
            t.AllowanceTotalAmount?.Value == allowanceSum || (t.AllowanceTotalAmount is null && allowances.Count == 0),
            "BR-CO-11",
            $"The sum of document allowances (BT-107) is {Show(t.AllowanceTotalAmount)} but the allowances add up to {allowanceSum}.",
            at + "/cbc:AllowanceTotalAmount");
        f.Check(
            t.ChargeTotalAmount?.Value == chargeSum || (t.ChargeTotalAmount is null && charges.Count == 0),
            "BR-CO-12",
            $"The sum of document charges (BT-108) is {Show(t.ChargeTotalAmount)} but the charges add up to {chargeSum}.",
            at + "/cbc:ChargeTotalAmount");

        if (t.LineExtensionAmount is not null && t.TaxExclusiveAmount is not null)
        {
            var expected = Round2(t.LineExtensionAmount.Value + (t.ChargeTotalAmount?.Value ?? 0m) - (t.AllowanceTotalAmount?.Value ?? 0m));
            f.Check(
                t.TaxExclusiveAmount.Value == expected,
                "BR-CO-13",
                $"The total without VAT (BT-109) is {t.TaxExclusiveAmount.Value}, expected line total + charges - allowances = {expected}.",
                at + "/cbc:TaxExclusiveAmount");
        }
        else
        {
            f.Add("BR-CO-13", FindingSeverity.Fatal, "The total without VAT (BT-109) cannot be checked: it or the line total (BT-106) is missing.", at);
        }

        CheckAmountDue(f, t, at);

        f.Check(HasAtMostTwoDecimals(t.LineExtensionAmount), "BR-DEC-09", "The sum of line net amounts (BT-106) has more than 2 decimals.", at + "/cbc:LineExtensionAmount");
        f.Check(HasAtMostTwoDecimals(t.AllowanceTotalAmount), "BR-DEC-10", "The sum of allowances (BT-107) has more than 2 decimals.", at + "/cbc:AllowanceTotalAmount");
        f.Check(HasAtMostTwoDecimals(t.ChargeTotalAmount), "BR-DEC-11", "The sum of charges (BT-108) has more than 2 decimals.", at + "/cbc:ChargeTotalAmount");
        f.Check(HasAtMostTwoDecimals(t.TaxExclusiveAmount), "BR-DEC-12", "The total without VAT (BT-109) has more than 2 decimals.", at + "/cbc:TaxExclusiveAmount");
        f.Check(HasAtMostTwoDecimals(t.TaxInclusiveAmount), "BR-DEC-14", "The total with VAT (BT-112) has more than 2 decimals.", at + "/cbc:TaxInclusiveAmount");
        f.Check(HasAtMostTwoDecimals(t.PrepaidAmount), "BR-DEC-16", "The paid amount (BT-113) has more than 2 decimals.", at + "/cbc:PrepaidAmount");
        f.Check(HasAtMostTwoDecimals(t.PayableRoundingAmount), "BR-DEC-17", "The rounding amount (BT-114) has more than 2 decimals.", at + "/cbc:PayableRoundingAmount");
        f.Check(HasAtMostTwoDecimals(t.PayableAmount), "BR-DEC-18", "The amount due (BT-115) has more than 2 decimals.", at + "/cbc:PayableAmount");
    }

    private static void CheckAmountDue(RuleFindings f, UblMonetaryTotal t, string at)
    {
        if (t.PayableAmount is null || t.TaxInclusiveAmount is null)
        {
            f.Add("BR-CO-16", FindingSeverity.Fatal, "The amount due (BT-115) cannot be checked: it or the total with VAT (BT-112) is missing.", at);
            return;
        }

        var payable = t.PayableAmount.Value;
        var inclusive = t.TaxInclusiveAmount.Value;
        var expected = t.PrepaidAmount is null ? inclusive : Round2(inclusive - t.PrepaidAmount.Value);
        var actual = t.PayableRoundingAmount is null ? payable : Round2(payable - t.PayableRoundingAmount.Value);
        f.Check(
            actual == expected,
            "BR-CO-16",
            $"The amount due (BT-115) is {payable}, expected total with VAT - paid amount + rounding.",
            at + "/cbc:PayableAmount");
    }

    private static void CheckTaxInclusiveTotal(RuleFindings f)
    {
        var d = f.Document;
        if (d.DocumentCurrencyCode is not { } currency)
        {
            return;
        }

        // The artefact compares currencyID with DocumentCurrencyCode as written (whitespace included).
        var written = d.DocumentCurrencyCodeAsWritten ?? currency;
        var inDocumentCurrency = d.TaxTotals.Where(t => t.TaxAmount?.CurrencyId == written).ToList();
        var inclusive = d.Totals?.TaxInclusiveAmount?.Value;
        var exclusive = d.Totals?.TaxExclusiveAmount?.Value;
        var holds = inDocumentCurrency.Count == 1 && inclusive is not null && exclusive is not null
            && inclusive == Round2(exclusive.Value + inDocumentCurrency[0].TaxAmount!.Value);
        f.Check(
            holds,
            "BR-CO-15",
            inDocumentCurrency.Count == 1
                ? "The total with VAT (BT-112) shall equal the total without VAT (BT-109) plus the total VAT (BT-110)."
                : $"Exactly one total VAT amount in the document currency {currency} is required (found {inDocumentCurrency.Count}).",
            f.Path("cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount"));
    }

    private static void CheckTaxTotals(RuleFindings f)
    {
        var d = f.Document;
        for (var i = 0; i < d.TaxTotals.Count; i++)
        {
            var total = d.TaxTotals[i];
            var at = f.Path($"cac:TaxTotal[{i + 1}]");
            if (total.Subtotals.Count > 0)
            {
                var sum = Round2(Sum(total.Subtotals.Select(s => s.TaxAmount)));
                f.Check(
                    total.TaxAmount?.Value == sum,
                    "BR-CO-14",
                    $"The total VAT (BT-110) is {Show(total.TaxAmount)} but the VAT breakdown adds up to {sum}.",
                    at + "/cbc:TaxAmount");
            }


            // BR-DEC-13 and BR-DEC-15 (at most two decimals in the VAT totals) are not checked, as in the CEN artefact
            // 1.3.14.1: its asserts look for cbc:DocumentCurrencyCode / cbc:TaxCurrencyCode as a child of the
            // TaxAmount, find none, and so can never fire. UBL-DT-01 still refuses such an amount.

            for (var j = 0; j < total.Subtotals.Count; j++)
            {
                CheckSubtotal(f, total.Subtotals[j], $"{at}/cac:TaxSubtotal[{j + 1}]");
            }
        }
    }

    private static void CheckSubtotal(RuleFindings f, UblTaxSubtotal s, string at)
    {
        var vat = s.Category is { IsVat: true } c ? c : null;
        f.Check(s.TaxableAmount is not null, "BR-45", "Each VAT breakdown (BG-23) shall have a taxable amount (BT-116).", at);
        f.Check(s.TaxAmount is not null, "BR-46", "Each VAT breakdown (BG-23) shall have a VAT amount (BT-117).", at);
        f.Check(vat?.Id is not null, "BR-47", "Each VAT breakdown (BG-23) shall have a VAT category code (BT-118).", at);
        f.Check(vat?.Percent is not null || vat?.Code == "O", "BR-48", "Each VAT breakdown (BG-23) shall have a VAT rate (BT-119), except category O.", at);
        f.Check(HasAtMostTwoDecimals(s.TaxableAmount), "BR-DEC-19", "The VAT taxable amount (BT-116) has more than 2 decimals.", at + "/cbc:TaxableAmount");
        f.Check(HasAtMostTwoDecimals(s.TaxAmount), "BR-DEC-20", "The VAT amount (BT-117) has more than 2 decimals.", at + "/cbc:TaxAmount");
        f.Check(
            VatAmountMatchesRate(s, vat),
            "BR-CO-17",
            $"The VAT amount (BT-117) {Show(s.TaxAmount)} shall be the taxable amount {Show(s.TaxableAmount)} times the rate {vat?.Percent}%, within 1.",
            at + "/cbc:TaxAmount");
    }

    private static bool VatAmountMatchesRate(UblTaxSubtotal s, UblTaxCategory? vat)
    {
        if (s.TaxAmount is null)
        {
            return false;
        }

        var tax = s.TaxAmount.Value;
        if (vat?.Percent is not { } rate)
        {
            return Round(tax) == 0;
        }

        if (Round(rate) == 0)
        {
            return Round(tax) == 0;
        }

        if (s.TaxableAmount is null)
        {
            return false;
        }

        var expected = Round2(Math.Abs(s.TaxableAmount.Value) * (rate / 100m));
        return Math.Abs(tax) - 1 < expected && Math.Abs(tax) + 1 > expected;
    }

    private static void CheckDocumentAllowanceCharges(RuleFindings f)
    {
        var list = f.Document.AllowanceCharges;
        for (var i = 0; i < list.Count; i++)
        {
            var ac = list[i];
            var at = f.Path($"cac:AllowanceCharge[{i + 1}]");
            var hasReason = ac.Reason is not null || ac.ReasonCode is not null;
            var hasVatCategory = ac.TaxCategory is { IsVat: true, Id: not null };
            if (ac.IsCharge == false)
            {
                f.Check(ac.Amount is not null || ac.HasAmount, "BR-31", "Each document level allowance (BG-20) shall have an amount (BT-92).", at);
                f.Check(hasVatCategory, "BR-32", "Each document level allowance (BG-20) shall have a VAT category code (BT-95).", at);
                f.Check(hasReason, "BR-33", "Each document level allowance (BG-20) shall have a reason (BT-97) or reason code (BT-98).", at);
                f.Check(hasReason, "BR-CO-21", "Each document level allowance (BG-20) shall contain a reason (BT-97), a reason code (BT-98), or both.", at);
                f.Check(HasAtMostTwoDecimals(ac.Amount), "BR-DEC-01", "The document level allowance amount (BT-92) has more than 2 decimals.", at + "/cbc:Amount");
                f.Check(HasAtMostTwoDecimals(ac.BaseAmount), "BR-DEC-02", "The document level allowance base amount (BT-93) has more than 2 decimals.", at + "/cbc:BaseAmount");
            }
            else if (ac.IsCharge == true)
            {
                f.Check(ac.Amount is not null || ac.HasAmount, "BR-36", "Each document level charge (BG-21) shall have an amount (BT-99).", at);
                f.Check(hasVatCategory, "BR-37", "Each document level charge (BG-21) shall have a VAT category code (BT-102).", at);
                f.Check(hasReason, "BR-38", "Each document level charge (BG-21) shall have a reason (BT-104) or reason code (BT-105).", at);
                f.Check(hasReason, "BR-CO-22", "Each document level charge (BG-21) shall contain a reason (BT-104), a reason code (BT-105), or both.", at);
                f.Check(HasAtMostTwoDecimals(ac.Amount), "BR-DEC-05", "The document level charge amount (BT-99) has more than 2 decimals.", at + "/cbc:Amount");
                f.Check(HasAtMostTwoDecimals(ac.BaseAmount), "BR-DEC-06", "The document level charge base amount (BT-100) has more than 2 decimals.", at + "/cbc:BaseAmount");
            }
        }
    }

    private static string Show(UblAmount? amount) => amount is null ? "missing" : amount.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
