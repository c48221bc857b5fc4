using System.Xml;

namespace Koppel.Formats.Sniffing;

/// <summary>
/// Tells what a file is from its first few kilobytes, without reading the rest.
/// Sniffing never trusts the file name: platforms send invoices as ".txt" and CODA as ".xml".
/// </summary>
public static class DocumentSniffer
{
    /// <summary>How much of the file the sniffer looks at.</summary>
    public const int PrefixLength = 8192;

    public const string UblInvoiceNamespace = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
    public const string UblCreditNoteNamespace = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";

    public static async Task<DocumentFormat> SniffAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var buffer = new byte[PrefixLength];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await content.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return Sniff(buffer.AsSpan(0, read));
    }

    public static DocumentFormat Sniff(ReadOnlySpan<byte> prefix)
    {
        // A byte-order mark says nothing about the format; editors on Windows add one to CODA text files too.
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            prefix = prefix[3..];
        }

        if (prefix.IsEmpty)
        {
            return DocumentFormat.Unknown;
        }

        if (prefix.StartsWith("%PDF-"u8))
        {
            return DocumentFormat.Pdf;
        }

        if (LooksLikeCoda(prefix))
        {
            return DocumentFormat.Coda;
        }

        var start = SkipWhitespace(prefix);
        if ((start < prefix.Length && prefix[start] == (byte)'<') || LooksLikeUtf16Xml(prefix))
        {
            return SniffXmlRoot(prefix);
        }

        return DocumentFormat.Unknown;
    }

    // A CODA file starts with a header record: '0' then four zeros, a DDMMYY date, a 3-digit bank id, and application code "05".
    private static bool LooksLikeCoda(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length < 17 || prefix[0] != (byte)'0' || !prefix[1..5].SequenceEqual("0000"u8))
        {
            return false;
        }

        foreach (var b in prefix[5..14])
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return prefix[14] == (byte)'0' && prefix[15] == (byte)'5';
    }

    /// <summary>
    /// UTF-16 XML, with a byte-order mark or without one (then "&lt;" is 3C 00 or 00 3C): the XML reader detects the
    /// encoding itself, so it only has to be recognised here, not decoded.
    /// </summary>
    private static bool LooksLikeUtf16Xml(ReadOnlySpan<byte> prefix) =>
        prefix.Length >= 4
        && (prefix.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x3C, 0x00])
            || prefix.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF, 0x00, 0x3C])
            || prefix.StartsWith((ReadOnlySpan<byte>)[0x3C, 0x00, 0x3F, 0x00])
            || prefix.StartsWith((ReadOnlySpan<byte>)[0x00, 0x3C, 0x00, 0x3F]));

    private static int SkipWhitespace(ReadOnlySpan<byte> prefix)
    {
        var i = 0;
        while (i < prefix.Length && prefix[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        return i;
    }

    private static DocumentFormat SniffXmlRoot(ReadOnlySpan<byte> prefix)
    {
        // Only the root element matters; a prefix cut in the middle of the document is fine. A DOCTYPE is skipped,
        // never processed, so a UBL with one is routed to the UBL reader, which refuses it with its own reason (XML-DTD)
        // rather than the file being called an unknown format.
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Ignore,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var stream = new MemoryStream(prefix.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element)
                {
                    return (reader.LocalName, reader.NamespaceURI) switch
                    {
                        ("Invoice", UblInvoiceNamespace) => DocumentFormat.UblInvoice,
                        ("CreditNote", UblCreditNoteNamespace) => DocumentFormat.UblCreditNote,
                        _ => DocumentFormat.OtherXml,
                    };
                }
            }
        }
        catch (XmlException)
        {
            // Text that only starts with '<', or an entity the skipped DTD would have defined: not routable as UBL.
        }

        return DocumentFormat.OtherXml;
    }
}
