namespace Koppel.Formats.Findings;

/// <summary>
/// The document cannot be read at all (hostile, truncated, not the format it claims, too large).
/// Carries a rule code, and the line and position where reading stopped, so a quarantine reason
/// can tell an operator exactly what is wrong.
/// </summary>
public sealed class DocumentReadException : Exception
{
    public DocumentReadException(string rule, string message, int? line = null, int? position = null, Exception? inner = null)
        : base(Describe(message, line, position), inner)
    {
        Rule = rule;
        Line = line;
        Position = position;
    }

    public DocumentReadException()
        : this("READ", "The document could not be read.")
    {
    }

    public DocumentReadException(string message)
        : this("READ", message)
    {
    }

    public DocumentReadException(string message, Exception innerException)
        : this("READ", message, inner: innerException)
    {
    }

    /// <summary>A stable code for the reason, e.g. XML-DTD, XML-TOO-LARGE, CODA-VERSION.</summary>
    public string Rule { get; }

    public int? Line { get; }

    public int? Position { get; }

    private static string Describe(string message, int? line, int? position) =>
        line is null ? message : $"{message} (line {line}, position {position ?? 0})";
}
