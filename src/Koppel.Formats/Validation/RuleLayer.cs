using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>Runs groups of business rules over a read document and turns what they find into a layer result.</summary>
internal static class RuleLayer
{
    public const string ArithmeticRule = "KOPPEL-ARITHMETIC";

    public static ValidationLayerResult Run(string name, UblDocument document, params Action<RuleFindings>[] groups)
    {
        var findings = new RuleFindings(document);
        foreach (var group in groups)
        {
            try
            {
                group(findings);
            }
            catch (OverflowException)
            {
                // Amounts near decimal's 28-digit limit cannot be multiplied or summed; such a document is not an invoice anyone pays.
                findings.Add(ArithmeticRule, FindingSeverity.Fatal, "Amounts are too large to check the calculations.", findings.Root);
            }
        }

        return ValidationLayerResult.FromFindings(name, findings.Findings);
    }
}

/// <summary>
/// The EN 16931 (CEN) business rules bound to UBL, in C#, with the official rule ids and severities of
/// the CEN validation artefacts 1.3.14.1. The UBL-CR-* / UBL-SR-* / UBL-DT-* syntax warnings are not
/// implemented: they are warnings only and never reject a document.
/// </summary>
public static class En16931Rules
{
    public const string LayerName = "EN16931";

    public static ValidationLayerResult Validate(UblDocument document) =>
        RuleLayer.Run(
            LayerName,
            document,
            En16931DocumentRules.Check,
            En16931TotalsRules.Check,
            En16931LineRules.Check,
            En16931VatCategoryRules.Check,
            En16931CodeListRules.Check,
            En16931SyntaxRules.Check);
}
