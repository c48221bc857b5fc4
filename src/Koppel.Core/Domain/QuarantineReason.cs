namespace Koppel.Core.Domain;

/// <summary>
/// Why a file was refused, machine-readable: a stable code, a sentence, and where in the file.
/// Stored next to the quarantined file so nothing is lost and an operator knows what to fix.
/// </summary>
public sealed record QuarantineReason
{
    public required string Code { get; init; }

    public required string Message { get; init; }

    public string? Location { get; init; }

    public required string OriginalPath { get; init; }

    public string? DossierId { get; init; }

    public DateTimeOffset At { get; init; }
}

/// <summary>Stable quarantine codes.</summary>
public static class QuarantineCodes
{
    public const string EmptyFile = "EMPTY-FILE";
    public const string UnknownDossier = "UNKNOWN-DOSSIER";
    public const string UnknownFormat = "UNKNOWN-FORMAT";
    public const string Unreadable = "UNREADABLE";
    public const string Invalid = "INVALID";
    public const string TooLarge = "TOO-LARGE";
    public const string BadPath = "BAD-PATH";
}
