using System.Text.Json;
using Koppel.Formats.Findings;

namespace Koppel.Cli.Inspection;

internal sealed record FindingJson(string Rule, string Severity, string Message, string? Location)
{
    public static FindingJson From(Finding finding) =>
        new(finding.Rule, SeverityName(finding.Severity), finding.Message, finding.Location);

    public static void Write(Utf8JsonWriter writer, Finding finding)
    {
        writer.WriteStartObject();
        writer.WriteString("rule", finding.Rule);
        writer.WriteString("severity", SeverityName(finding.Severity));
        writer.WriteString("message", finding.Message);
        writer.WriteString("location", finding.Location);
        writer.WriteEndObject();
    }

    private static string SeverityName(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Information => "information",
        FindingSeverity.Warning => "warning",
        FindingSeverity.Fatal => "fatal",
        _ => severity.ToString().ToLowerInvariant(),
    };
}
