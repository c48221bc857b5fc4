namespace Koppel.Formats.Ubl;

/// <summary>Limits and hooks for <see cref="UblReader"/>.</summary>
public sealed record UblReaderOptions
{
    public const long DefaultMaxDocumentBytes = 64L * 1024 * 1024;

    public static UblReaderOptions Default { get; } = new();

    /// <summary>
    /// Bytes read from the stream before the reader gives up with XML-TOO-LARGE. Counted on the
    /// raw stream, so a network stream of unknown length is limited too.
    /// </summary>
    public long MaxDocumentBytes { get; init; } = DefaultMaxDocumentBytes;

    /// <summary>
    /// Deepest element nesting accepted (UBL documents stay under about 15 levels). Deeper input is
    /// refused with XML-TOO-DEEP: schema validation of absurd nesting is slow enough to be a denial of service.
    /// </summary>
    public int MaxElementDepth { get; init; } = 64;

    /// <summary>
    /// Receives each embedded attachment's decoded bytes. Return a stream to store them (the reader
    /// writes and does not dispose it), or null to only count the size.
    /// </summary>
    public Func<UblAttachmentInfo, Stream?>? AttachmentSink { get; init; }

    /// <summary>
    /// False (the default): an amount, date or ChargeIndicator the model cannot hold ends the read with a
    /// <see cref="Findings.DocumentReadException"/> (UBL-NUMBER, UBL-DATE, UBL-BOOLEAN). True: the value is left
    /// empty in the model and listed in <see cref="UblSyntax.UnreadableValues"/>, so the validator can report it as
    /// a finding beside everything else that is wrong with the document.
    /// </summary>
    public bool RecordUnreadableValues { get; init; }
}
