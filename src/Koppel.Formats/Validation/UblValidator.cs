using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// One entry point for the three validation layers: XSD (when a schema folder is configured),
/// EN 16931 business rules, and the national/network rules the document's profile calls for
/// (Peppol BIS 3, or UBL.BE for Belgian e-FFF documents).
/// </summary>
public static class UblValidator
{
    /// <summary>
    /// Validates raw bytes: an XSD pass (if configured) and a read, then the rule layers.
    /// A stream that cannot seek is first spooled to a temporary file so both passes can read it.
    /// Unreadable input throws <see cref="Findings.DocumentReadException"/>, as <see cref="UblReader"/> does.
    /// </summary>
    public static UblValidationReport Validate(Stream content, UblValidationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= UblValidationOptions.Default;
        if (options.XsdFolder is null || content.CanSeek)
        {
            return ValidateSeekable(content, options, cancellationToken);
        }

        using var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        CopyWithLimit(content, spool, options.ReaderOptions.MaxDocumentBytes, cancellationToken);
        spool.Position = 0;
        return ValidateSeekable(spool, options, cancellationToken);
    }

    /// <summary>Runs the rule layers on an already read document; the XSD layer is reported as skipped.</summary>
    public static UblValidationReport Validate(UblDocument document, UblValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        options ??= UblValidationOptions.Default;
        var xsd = ValidationLayerResult.Skipped(XsdValidationLayer.LayerName, "Validating an already read document: the XML is not available.");
        return new UblValidationReport([xsd, .. RuleLayers(document, options)], document);
    }

    private static UblValidationReport ValidateSeekable(Stream content, UblValidationOptions options, CancellationToken cancellationToken)
    {
        var start = content.CanSeek ? content.Position : 0;
        var xsd = XsdValidationLayer.Validate(content, options, cancellationToken);
        if (xsd.Status != ValidationLayerStatus.Skipped)
        {
            content.Position = start;
        }

        // Values the model cannot hold become findings beside the rest, not a read error that hides the document.
        var document = UblReader.Read(content, options.ReaderOptions with { RecordUnreadableValues = true }, cancellationToken);
        return new UblValidationReport([xsd, .. RuleLayers(document, options)], document);
    }

    private static IEnumerable<ValidationLayerResult> RuleLayers(UblDocument document, UblValidationOptions options)
    {
        yield return En16931Rules.Validate(document);

        var isUblBe = document.Profile == UblProfile.UblBe;
        var peppolApplies = document.Profile == UblProfile.PeppolBis3 || (options.ApplyPeppolRulesToOtherProfiles && !isUblBe);
        yield return peppolApplies
            ? PeppolRules.Validate(document)
            : ValidationLayerResult.Skipped(PeppolRules.LayerName, isUblBe
                ? "UBL.BE document: judged by the UBL.BE rules, not by Peppol BIS 3."
                : $"Profile {document.Profile} does not claim Peppol BIS 3.");
        yield return isUblBe
            ? UblBeRules.Validate(document)
            : ValidationLayerResult.Skipped(UblBeRules.LayerName, "Not a UBL.BE document.");
    }

    private static void CopyWithLimit(Stream source, Stream target, long maxBytes, CancellationToken cancellationToken)
    {
        using var limited = new SizeLimitedStream(source, maxBytes);
        var buffer = new byte[81920];
        int n;
        while ((n = limited.Read(buffer)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            target.Write(buffer, 0, n);
        }
    }
}
