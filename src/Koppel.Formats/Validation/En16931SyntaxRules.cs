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
    }
}
