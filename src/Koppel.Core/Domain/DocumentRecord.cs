using Koppel.Formats.Sniffing;

namespace Koppel.Core.Domain;

/// <summary>
/// A document Koppel accepted for a dossier. Its id is the SHA-256 of its bytes, so the same file
/// dropped twice is one document.
/// </summary>
public sealed record DocumentRecord
{
    public required string DossierId { get; init; }

    /// <summary>Lower-case hex SHA-256 of the content; also the archive key.</summary>
    public required string Id { get; init; }

    public required string FileName { get; init; }

    public required DocumentFormat Format { get; init; }

    public required DocumentKind Kind { get; init; }

    public required long Size { get; init; }

    public string? Number { get; init; }

    public DateOnly? IssueDate { get; init; }

    public string? Currency { get; init; }

    public decimal? PayableAmount { get; init; }

    public string? CounterpartyName { get; init; }

    public string? CounterpartyVat { get; init; }

    /// <summary>Files embedded in the document (the PDF of a UBL invoice), archived beside it.</summary>
    public IReadOnlyList<ArchivedAttachment> Attachments { get; init; } = [];

    /// <summary>Where the file came from: the inbox path or "api".</summary>
    public required string Source { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>A file embedded in a document, stored content-addressed in the archive.</summary>
public sealed record ArchivedAttachment(string FileName, string MimeType, string ContentId, long Size);
