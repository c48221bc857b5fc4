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
        if (start < prefix.Length && prefix[start] == (byte)'<')
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
        // Only the root element matters; a prefix cut in the middle of the document is fine.
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
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
            // A DTD, or text that only starts with '<': not something Koppel can route as UBL.
        }

        return DocumentFormat.OtherXml;
    }
}
