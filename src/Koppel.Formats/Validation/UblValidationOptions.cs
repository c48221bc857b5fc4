using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

public sealed record UblValidationOptions
{
    public static UblValidationOptions Default { get; } = new();

    /// <summary>
    /// Folder of the OASIS UBL 2.1 XSD distribution (the <c>xsd/</c> folder of UBL-2.1.zip, holding
    /// <c>maindoc/</c> and <c>common/</c>). Null: the XSD layer reports itself as skipped.
    /// </summary>
    public string? XsdFolder { get; init; }

    public UblReaderOptions ReaderOptions { get; init; } = UblReaderOptions.Default;

    /// <summary>
    /// Peppol BIS 3 rules normally run only on documents that claim Peppol BIS 3. Set this to also
    /// judge plain EN 16931 and unknown profiles by them (e.g. "would this pass the Peppol network?").
    /// UBL.BE documents are always judged by the UBL.BE layer instead.
    /// </summary>
    public bool ApplyPeppolRulesToOtherProfiles { get; init; }

    /// <summary>At most this many XSD errors are reported; after the first few, the rest are usually echoes.</summary>
    public int MaxXsdFindings { get; init; } = 50;
}
