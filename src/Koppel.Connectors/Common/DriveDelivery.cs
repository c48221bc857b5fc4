using System.Globalization;
using System.Text.RegularExpressions;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;

namespace Koppel.Connectors.Common;

/// <summary>What a cloud-drive connection puts in the drive for a UBL invoice or credit note.</summary>
public enum DriveFileFormat
{
    /// <summary>The UBL (e-FFF) with its embedded PDF beside it.</summary>
    UblAndPdf,

    /// <summary>Only the PDF embedded in the UBL.</summary>
    PdfOnly,

    /// <summary>Only the UBL.</summary>
    UblOnly,
}

/// <summary>
/// The settings every cloud-drive connection (Dropbox, OneDrive) shares: the format, a path template per kind of
/// document, and whether the receiver acknowledges files by moving them to <c>processed/</c> or <c>error/</c>.
/// </summary>
internal sealed partial record DriveSettings
{
    public const string FormatKey = "format";
    public const string AcknowledgementsKey = "acknowledgements";
    public const string PathKeyPrefix = "path.";

    public const string DefaultTemplate = "/{dossier}/{kind}/{yyyy}/{number}_{documentId}";

    /// <summary>The placeholders a path template may use.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = ["dossier", "kind", "yyyy", "mm", "dd", "number", "documentId", "name"];

    public DriveFileFormat Format { get; private init; }

    public bool Acknowledgements { get; private init; }

    public IReadOnlyDictionary<DocumentKind, string> Templates { get; private init; } = new Dictionary<DocumentKind, string>();

    public static IEnumerable<SettingField> Fields(string driveName) =>
    [
        new(FormatKey, "What a UBL invoice or credit note becomes: 'ubl+pdf' (the e-FFF UBL with its embedded PDF beside it), 'pdf' (only the embedded PDF), 'ubl' (only the UBL). Other documents go as they are.", DefaultValue: "ubl+pdf"),
        .. Enum.GetValues<DocumentKind>().Select(kind => new SettingField(
            PathKeyPrefix + kind,
            $"Where a {kind} goes in {driveName}: a path without extension built from {string.Join(" ", Placeholders.Select(p => "{" + p + "}"))}; "
                + "keep {documentId} in the file name so two documents never meet under one name.",
            DefaultValue: DefaultTemplate)),
        new(AcknowledgementsKey, "'on' when the receiver moves each file it handled into a 'processed' or 'error' folder beside it; Koppel then reads that back. Off by default.", DefaultValue: "off"),
    ];

    public static DriveSettings From(ConnectorSettings settings, SettingsProblems problems)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var format = SettingsReader.Optional(settings, FormatKey)?.ToLowerInvariant() switch
        {
            null or "ubl+pdf" or "e-fff" => DriveFileFormat.UblAndPdf,
            "pdf" => DriveFileFormat.PdfOnly,
            "ubl" => DriveFileFormat.UblOnly,
            var other => Problem(problems, $"'{FormatKey}' must be 'ubl+pdf', 'pdf' or 'ubl', not '{other}'.", DriveFileFormat.UblAndPdf),
        };

        var acknowledgements = SettingsReader.Optional(settings, AcknowledgementsKey)?.ToLowerInvariant() switch
        {
            null or "off" or "false" or "no" => false,
            "on" or "true" or "yes" => true,
            var other => Problem(problems, $"'{AcknowledgementsKey}' must be 'on' or 'off', not '{other}'.", false),
        };

        var templates = new Dictionary<DocumentKind, string>();
        foreach (var kind in Enum.GetValues<DocumentKind>())
        {
            var key = PathKeyPrefix + kind;
            var template = SettingsReader.Optional(settings, key) ?? DefaultTemplate;
            templates[kind] = CheckTemplate(key, template, problems);
        }

        return new DriveSettings { Format = format, Acknowledgements = acknowledgements, Templates = templates };
    }

    private static T Problem<T>(SettingsProblems problems, string problem, T fallback)
    {
        problems.Add(problem);
        return fallback;
    }

    private static string CheckTemplate(string key, string template, SettingsProblems problems)
    {
        var normalized = "/" + template.Replace('\\', '/').Trim('/');
        foreach (Match match in PlaceholderPattern().Matches(normalized))
        {
            var name = match.Groups["name"].Value;
            if (!Placeholders.Contains(name, StringComparer.Ordinal))
            {
                problems.Add($"'{key}' uses the unknown placeholder '{{{name}}}'; known are {string.Join(" ", Placeholders.Select(p => "{" + p + "}"))}.");
            }
        }

        var literal = PlaceholderPattern().Replace(normalized, "x");
        if (literal.Contains('{', StringComparison.Ordinal) || literal.Contains('}', StringComparison.Ordinal))
        {
            problems.Add($"'{key}' has a '{{' or '}}' that does not belong to a placeholder.");
        }

        if (normalized.Split('/').Any(segment => segment is "." or ".."))
        {
            problems.Add($"'{key}' may not contain '.' or '..' folders.");
        }

        if (normalized.EndsWith('/') || normalized == "/")
        {
            problems.Add($"'{key}' must end in a file name.");
        }

        if (literal.IndexOfAny(['<', '>', ':', '"', '|', '?', '*']) >= 0)
        {
            problems.Add($"'{key}' contains a character file names cannot have (< > : \" | ? *).");
        }

        return normalized;
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)\}")]
    internal static partial Regex PlaceholderPattern();
}

/// <summary>One file of a delivery: where it goes and how to open it from the archive.</summary>
internal sealed record DriveFile(string Path, long Size, Func<CancellationToken, Task<Stream>> Open);

/// <summary>Which files a delivery puts in the drive, under which names: the same names on every retry.</summary>
internal static class DriveFiles
{
    /// <summary>The document id in file names: long enough to be unique in a dossier, short enough to read.</summary>
    private const int DocumentIdChars = 12;

    /// <summary>
    /// The files for one delivery, the attachment (PDF) before the document so an import that reacts to the XML finds
    /// its PDF. Null, with <paramref name="refusal"/>, when the connection's format cannot be met.
    /// </summary>
    public static IReadOnlyList<DriveFile>? Plan(DeliveryContext context, DriveSettings settings, string? baseFolder, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(context);
        refusal = null;
        var document = context.Document;
        var stem = Combine(baseFolder, Render(settings.Templates[document.Kind], context));
        var isUbl = document.Format is DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote;
        var pdf = document.Attachments.FirstOrDefault(a => a.MimeType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase)
            || a.FileName.EndsWith(".pdf", StringComparison.OrdinalIgnoreCase));
        var own = new DriveFile(stem + ExtensionOf(document), document.Size, context.OpenDocumentAsync);

        if (!isUbl)
        {
            return [own];
        }

        switch (settings.Format)
        {
            case DriveFileFormat.UblOnly:
                return [own];
            case DriveFileFormat.PdfOnly when pdf is null:
                refusal = $"Invoice {document.Number ?? document.FileName} has no PDF inside its UBL, and this connection takes PDFs only ('{DriveSettings.FormatKey}' = pdf). Ask the sender for a UBL with its PDF, or set the format to 'ubl+pdf' or 'ubl'.";
                return null;
            case DriveFileFormat.PdfOnly:
                return [new DriveFile(stem + ".pdf", pdf!.Size, ct => context.OpenAttachmentAsync(pdf, ct))];
            default:
                return pdf is null
                    ? [own]
                    : [new DriveFile(stem + ".pdf", pdf.Size, ct => context.OpenAttachmentAsync(pdf, ct)), own];
        }
    }

    /// <summary>The template with its placeholders filled in, each value made safe as one path segment.</summary>
    public static string Render(string template, DeliveryContext context)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(context);
        var document = context.Document;
        var date = document.IssueDate ?? DateOnly.FromDateTime(document.ReceivedAt == default ? DateTime.UtcNow : document.ReceivedAt.UtcDateTime);
        var name = FileNameSanitizer.Sanitize(Path.GetFileNameWithoutExtension(document.FileName));
        string Value(string placeholder) => placeholder switch
        {
            "dossier" => context.Dossier.Id,
            "kind" => document.Kind.ToString(),
            "yyyy" => date.Year.ToString("D4", CultureInfo.InvariantCulture),
            "mm" => date.Month.ToString("D2", CultureInfo.InvariantCulture),
            "dd" => date.Day.ToString("D2", CultureInfo.InvariantCulture),
            "number" => document.Number is { Length: > 0 } number ? number : name,
            "documentId" => document.Id.Length > DocumentIdChars ? document.Id[..DocumentIdChars] : document.Id,
            "name" => name,
            _ => placeholder,
        };

        return DriveSettings.PlaceholderPattern().Replace(template, m => FileNameSanitizer.Sanitize(Value(m.Groups["name"].Value)));
    }

    /// <summary>Where a receiver puts the file once handled, per the convention: <c>{folder}/processed/{name}</c> and <c>{folder}/error/{name}</c>.</summary>
    public static (string Processed, string Error) AcknowledgementPaths(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var slash = path.LastIndexOf('/');
        var folder = slash <= 0 ? string.Empty : path[..slash];
        var name = path[(slash + 1)..];
        return ($"{folder}/processed/{name}", $"{folder}/error/{name}");
    }

    private static string Combine(string? baseFolder, string path)
    {
        var folder = baseFolder?.Replace('\\', '/').Trim('/');
        return string.IsNullOrEmpty(folder) ? path : "/" + folder + path;
    }

    private static string ExtensionOf(DocumentRecord document) => document.Format switch
    {
        DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote or DocumentFormat.OtherXml => ".xml",
        DocumentFormat.Coda => ".cod",
        DocumentFormat.Pdf => ".pdf",
        _ => Path.GetExtension(FileNameSanitizer.Sanitize(document.FileName)) is { Length: > 1 and <= 10 } own ? own : ".bin",
    };
}

/// <summary>Reads a stream in chunks of a fixed size, keeping one chunk in memory at a time.</summary>
internal static class Chunks
{
    /// <summary>Fills <paramref name="buffer"/> as far as the stream allows; the count read (less only at the end).</summary>
    public static async Task<int> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(buffer);
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
