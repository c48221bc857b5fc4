using System.Text;
using Koppel.Formats.Sniffing;

namespace Koppel.Connectors.Common;

/// <summary>
/// The name a delivered file gets at the receiver: <c>{original name}_{delivery id prefix}{ext}</c>.
/// It is deterministic per delivery, so a retry after a crash finds the file it wrote before instead of
/// writing a second copy; the delivery id part keeps two documents with the same original name apart.
/// </summary>
public sealed record DeliveryFileName
{
    private const int DeliveryIdChars = 12;
    private const int MaxBaseChars = 80;
    private const int MaxExtensionChars = 10;

    private DeliveryFileName(string baseName, string extension)
    {
        BaseName = baseName;
        Extension = extension;
    }

    /// <summary>The name without extension, delivery id included: the prefix of every file of this delivery.</summary>
    public string BaseName { get; }

    /// <summary>The extension with its dot (from the detected format), or empty.</summary>
    public string Extension { get; }

    public string FileName => BaseName + Extension;

    /// <summary>
    /// The name for one delivery. The extension follows the <paramref name="format"/> Koppel detected, not the name
    /// the producer gave: a UBL uploaded as <c>Q-0001.pdf</c> arrives as <c>.xml</c>, <c>R-0001.xml.part</c> as
    /// <c>R-0001_….xml</c>. Only a document of unknown format keeps its own extension.
    /// </summary>
    public static DeliveryFileName For(string originalFileName, string deliveryId, DocumentFormat format = DocumentFormat.Unknown)
    {
        ArgumentNullException.ThrowIfNull(originalFileName);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);

        var sanitized = FileNameSanitizer.Sanitize(originalFileName);
        var stem = sanitized;
        var own = Path.GetExtension(sanitized);
        if (own.Length > MaxExtensionChars)
        {
            own = string.Empty; // not a real extension, just a dot somewhere in a long name
        }

        var extension = ExtensionOf(format) ?? own;
        if (ExtensionOf(format) is not null)
        {
            // Drop every extension-like suffix a producer left (".xml.part", ".pdf"), so the name carries one, the right one.
            while (Path.GetExtension(stem) is { Length: > 1 and <= MaxExtensionChars } suffix && KnownSuffixes.Contains(suffix))
            {
                stem = stem[..^suffix.Length];
            }
        }
        else
        {
            stem = sanitized[..^own.Length];
        }

        if (stem.Length == 0)
        {
            stem = "document";
        }

        if (stem.Length > MaxBaseChars)
        {
            stem = stem[..MaxBaseChars];
        }

        var idPart = FileNameSanitizer.Sanitize(deliveryId);
        idPart = idPart.Length > DeliveryIdChars ? idPart[..DeliveryIdChars] : idPart;
        return new DeliveryFileName($"{stem}_{idPart}", extension);
    }

    /// <summary>The producer's name with the extension of the detected format, without the delivery id (for mail attachments).</summary>
    public static string WithFormatExtension(string originalFileName, DocumentFormat format)
    {
        var name = For(originalFileName, "x", format);
        return name.BaseName[..^2] + name.Extension;
    }

    private static readonly HashSet<string> KnownSuffixes = new(StringComparer.OrdinalIgnoreCase)
    {
        ".xml", ".ubl", ".pdf", ".cod", ".coda", ".txt", ".part", ".tmp", ".bin", ".dat",
    };

    private static string? ExtensionOf(DocumentFormat format) => format switch
    {
        DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote or DocumentFormat.OtherXml => ".xml",
        DocumentFormat.Coda => ".cod",
        DocumentFormat.Pdf => ".pdf",
        _ => null,
    };

    /// <summary>The name of a file that travels with the document (its embedded PDF), kept beside it.</summary>
    public string ForAttachment(string attachmentFileName) =>
        $"{BaseName}_{FileNameSanitizer.Sanitize(attachmentFileName)}";

    /// <summary>
    /// The temporary name a file is written under before the rename that publishes it. The leading dot hides
    /// it from import jobs that skip hidden files; the suffix tells everyone else it is incomplete.
    /// </summary>
    public static string PartNameFor(string fileName) => $".{fileName}.part";

    public override string ToString() => FileName;
}

/// <summary>Turns a file name from a producer into one that every file system and import job accepts.</summary>
public static class FileNameSanitizer
{
    public static string Sanitize(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);

        // Only the last segment counts: a producer's "..\..\x.xml" must never climb out of the target folder.
        var lastSegment = fileName[(fileName.LastIndexOfAny(['/', '\\']) + 1)..];
        var builder = new StringBuilder(lastSegment.Length);
        foreach (var c in lastSegment)
        {
            // Plain ASCII only: accounting packages and SFTP servers on Windows choke on the rest.
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        var result = builder.ToString().Trim('.', '_');
        return result.Length == 0 ? "document" : result;
    }
}
