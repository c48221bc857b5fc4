using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>Collects the findings of one rule layer and knows how to name places in the document.</summary>
internal sealed class RuleFindings(UblDocument document)
{
    private readonly List<Finding> _findings = [];

    public UblDocument Document => document;

    public IReadOnlyList<Finding> Findings => _findings;

    public string Root => document.Kind == UblDocumentKind.Invoice ? "/Invoice" : "/CreditNote";

    public string LineElement => document.Kind == UblDocumentKind.Invoice ? "cac:InvoiceLine" : "cac:CreditNoteLine";

    public string Line(UblLine line) => $"{Root}/{LineElement}[{line.Position}]";

    public string Path(string relative) => $"{Root}/{relative}";

    /// <summary>Records a failure of <paramref name="rule"/> unless <paramref name="holds"/>.</summary>
    public void Check(bool holds, string rule, string message, string location, FindingSeverity severity = FindingSeverity.Fatal)
    {
        if (!holds)
        {
            _findings.Add(new Finding(rule, severity, message, location));
        }
    }

    /// <summary>
    /// Like <see cref="Check"/> for a rule on one line: the location string is only built when the rule fails,
    /// which matters on invoices with thousands of lines.
    /// </summary>
    public void CheckLine(bool holds, string rule, string message, UblLine line, string? suffix = null, FindingSeverity severity = FindingSeverity.Fatal)
    {
        if (!holds)
        {
            _findings.Add(new Finding(rule, severity, message, Line(line) + suffix));
        }
    }

    public void Add(string rule, FindingSeverity severity, string message, string location) =>
        _findings.Add(new Finding(rule, severity, message, location));
}
