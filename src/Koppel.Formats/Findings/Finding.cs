namespace Koppel.Formats.Findings;

/// <summary>How bad a finding is. Fatal means the document is rejected by the rule set that raised it.</summary>
public enum FindingSeverity
{
    Information,
    Warning,
    Fatal,
}

/// <summary>
/// One thing a reader or validator has to say about a document: the rule it comes from
/// (an official rule id such as BR-CO-10, or a Koppel code such as CODA-TRAILER-COUNT),
/// how severe it is, a sentence for a person, and where in the file it applies.
/// </summary>
public sealed record Finding(string Rule, FindingSeverity Severity, string Message, string? Location)
{
    public override string ToString() =>
        Location is null ? $"[{Severity}] {Rule}: {Message}" : $"[{Severity}] {Rule}: {Message} (at {Location})";
}
