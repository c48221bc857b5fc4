using System.Xml;
using Koppel.Formats.Findings;

namespace Koppel.Formats.Ubl;

/// <summary>
/// Reads a UBL 2.1 Invoice or CreditNote in one forward pass over an <see cref="XmlReader"/>:
/// no DOM of the file is built, and embedded attachments are decoded in chunks, so memory stays
/// flat whatever the size of an embedded PDF. Hostile or broken input ends in a
/// <see cref="DocumentReadException"/> with a stable rule code and the line and position.
/// </summary>
public static class UblReader
{
    public static UblDocument Read(Stream content, UblReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        options ??= UblReaderOptions.Default;
        using var limited = new SizeLimitedStream(content, options.MaxDocumentBytes);
        using var xml = XmlReader.Create(limited, CreateSecureSettings(options.MaxDocumentBytes));
        try
        {
            return new UblParser(xml, options, cancellationToken).ParseDocument();
        }
        catch (XmlException ex)
        {
            throw TranslateXmlException(ex, xml as IXmlLineInfo, limited.Prefix);
        }
    }

    /// <summary>
    /// Runs <see cref="Read"/> on the thread pool. The parser itself is synchronous: XmlReader's async
    /// API would double the parsing code for no gain when Koppel reads from local or buffered blobs.
    /// </summary>
    public static Task<UblDocument> ReadAsync(Stream content, UblReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => Read(content, options, cancellationToken), cancellationToken);

    public static UblDocument Read(string path, UblReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
        return Read(file, options, cancellationToken);
    }

    /// <summary>
    /// Settings that refuse DTDs (so no external entities and no entity expansion bombs) and never
    /// resolve anything outside the document. Shared with the XSD validation pass.
    /// </summary>
    internal static XmlReaderSettings CreateSecureSettings(long maxDocumentBytes) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = false,
        MaxCharactersFromEntities = 1024,

        // A UTF-8 document never has more characters than bytes; this is a second fence behind the byte limit.
        MaxCharactersInDocument = maxDocumentBytes,
    };

    /// <summary>XmlReader refuses a DTD without saying where it is; find the DOCTYPE in the prolog ourselves.</summary>
    private static (int Line, int Position) LocateDoctype(ReadOnlySpan<byte> prefix)
    {
        var at = prefix.IndexOf("<!DOCTYPE"u8);
        if (at < 0)
        {
            return (0, 0);
        }

        var before = prefix[..at];
        var line = before.Count((byte)'\n') + 1;
        var lastBreak = before.LastIndexOf((byte)'\n');
        return (line, at - lastBreak);
    }

    internal static DocumentReadException TranslateXmlException(XmlException ex, IXmlLineInfo? position, ReadOnlySpan<byte> prefix = default)
    {
        var message = ex.Message;
        var rule = message.Contains("DTD", StringComparison.OrdinalIgnoreCase) || message.Contains("DOCTYPE", StringComparison.OrdinalIgnoreCase)
            ? UblReadRules.Dtd
            : message.Contains("end of file", StringComparison.OrdinalIgnoreCase) || message.Contains("not closed", StringComparison.OrdinalIgnoreCase)
                ? UblReadRules.Truncated
                : UblReadRules.Malformed;
        var reason = rule switch
        {
            UblReadRules.Dtd => "The document contains a DTD, which is refused (entity expansion and external entities are attack vectors)",
            UblReadRules.Truncated => "The document ends before its XML is complete (truncated file?)",
            _ => "The document is not well-formed XML",
        };
        // Some XmlExceptions (the DTD refusal among them) carry no line of their own; the reader knows where it stopped.
        var (line, column) = ex.LineNumber > 0 || position is null ? (ex.LineNumber, ex.LinePosition) : (position.LineNumber, position.LinePosition);
        if (line == 0 && rule == UblReadRules.Dtd)
        {
            (line, column) = LocateDoctype(prefix);
        }

        return new DocumentReadException(rule, $"{reason}: {message}", line, column, ex);
    }
}
