using Koppel.Formats.Findings;

namespace Koppel.Cli.Inspection;

internal sealed record FindingJson(string Rule, string Severity, string Message, string? Location)
{
    public static FindingJson From(Finding finding) =>
        new(finding.Rule, finding.Severity.ToString().ToLowerInvariant(), finding.Message, finding.Location);
}
