using System.Text;

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

    /// <summary>The original extension with its dot, or empty.</summary>
    public string Extension { get; }

    public string FileName => BaseName + Extension;

    public static DeliveryFileName For(string originalFileName, string deliveryId)
    {
        ArgumentNullException.ThrowIfNull(originalFileName);
        ArgumentException.ThrowIfNullOrEmpty(deliveryId);

        var sanitized = FileNameSanitizer.Sanitize(originalFileName);
        var extension = Path.GetExtension(sanitized);
        if (extension.Length > MaxExtensionChars)
        {
            extension = string.Empty; // not a real extension, just a dot somewhere in a long name
        }

        var stem = sanitized[..^extension.Length];
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
