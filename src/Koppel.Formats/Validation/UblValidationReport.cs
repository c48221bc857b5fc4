using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

public enum ValidationLayerStatus
{
    Passed,
    Failed,

    /// <summary>The layer did not run (no schemas configured, rules not applicable to the profile). Never read as "passed".</summary>
    Skipped,
}

/// <summary>The outcome of one validation layer: XSD, EN 16931, PEPPOL BIS 3 or UBL.BE.</summary>
public sealed record ValidationLayerResult(string Name, ValidationLayerStatus Status, IReadOnlyList<Finding> Findings, string? Note = null)
{
    public static ValidationLayerResult Skipped(string name, string reason) => new(name, ValidationLayerStatus.Skipped, [], reason);

    public static ValidationLayerResult FromFindings(string name, IReadOnlyList<Finding> findings, string? note = null) =>
        new(name, findings.Any(f => f.Severity == FindingSeverity.Fatal) ? ValidationLayerStatus.Failed : ValidationLayerStatus.Passed, findings, note);
}

/// <summary>Everything the validator found, per layer, plus the document it read (null when it could not be read).</summary>
public sealed record UblValidationReport(IReadOnlyList<ValidationLayerResult> Layers, UblDocument? Document)
{
    /// <summary>True when no layer failed. Skipped layers do not make a document accepted or rejected.</summary>
    public bool IsAccepted => Layers.All(l => l.Status != ValidationLayerStatus.Failed);

    public IEnumerable<Finding> Findings => Layers.SelectMany(l => l.Findings);

    public ValidationLayerResult Layer(string name) => Layers.Single(l => l.Name == name);
}
