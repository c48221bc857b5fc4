using Refit;

namespace Koppel.Connectors.Octopus;

/// <summary>
/// The Octopus REST API (<c>octopus-rest-api/v1</c>), as far as Koppel uses it. Paths, headers and the 10-minute
/// tokens follow the public Swagger description summarised in docs/providers.md §4; the JSON field names of the
/// bodies are the records below, kept in this one file so a correction is one edit.
/// </summary>
public interface IOctopusApi
{
    [Post("/authentication")]
    Task<OctopusToken> AuthenticateAsync([Header("softwareHouseUuid")] string softwareHouseUuid, [Body] OctopusCredentials credentials, CancellationToken cancellationToken);

    [Get("/dossiers")]
    Task<IReadOnlyList<OctopusDossier>> GetDossiersAsync([Header("Token")] string token, CancellationToken cancellationToken);

    [Post("/dossiers")]
    Task<OctopusDossierToken> OpenDossierAsync([Header("Token")] string token, [Query] int dossierId, CancellationToken cancellationToken);

    [Get("/dossiers/{dossierId}/bookyears")]
    Task<IReadOnlyList<OctopusBookYear>> GetBookYearsAsync([Header("dossierToken")] string dossierToken, int dossierId, CancellationToken cancellationToken);

    [Get("/dossiers/{dossierId}/relations")]
    Task<IReadOnlyList<OctopusRelation>> FindRelationsAsync([Header("dossierToken")] string dossierToken, int dossierId, [AliasAs("vatNr")] string? vatNumber, [AliasAs("name")] string? name, CancellationToken cancellationToken);

    [Put("/dossiers/{dossierId}/relations")]
    Task<OctopusRelation> UpsertRelationAsync([Header("dossierToken")] string dossierToken, int dossierId, [Body] OctopusRelation relation, CancellationToken cancellationToken);

    [Post("/dossiers/{dossierId}/buysellbookings")]
    Task<OctopusBookingKey> BookAsync([Header("dossierToken")] string dossierToken, int dossierId, [Body] OctopusBuySellBooking booking, CancellationToken cancellationToken);

    [Get("/dossiers/{dossierId}/buysellbookings/modified")]
    Task<IReadOnlyList<OctopusBuySellBooking>> GetModifiedBookingsAsync([Header("dossierToken")] string dossierToken, int dossierId, [AliasAs("bookyearId")] int bookYearId, [AliasAs("modifiedTimeStamp")] string modifiedSince, CancellationToken cancellationToken);

    /// <summary>The CODA file as bytes, its name in the <c>fileName</c> header (as Octopus' attachment uploads do).</summary>
    [Post("/dossiers/{dossierId}/coda")]
    Task<OctopusCodaImport> ImportCodaAsync([Header("dossierToken")] string dossierToken, int dossierId, [Header("fileName")] string fileName, [Body] HttpContent coda, CancellationToken cancellationToken);
}

/// <summary>The Octopus file-import API (<c>octopus-file-import-api/v1</c>): files land in the dossier's document inbox.</summary>
public interface IOctopusFileImportApi
{
    [Post("/authentication")]
    Task<OctopusToken> AuthenticateAsync([Header("softwareHouseUuid")] string softwareHouseUuid, [Body] OctopusCredentials credentials, CancellationToken cancellationToken);

    [Multipart]
    [Post("/dossiers/{dossierId}/files/imports")]
    Task<OctopusFileImport> ImportFilesAsync([Header("Token")] string token, int dossierId, [AliasAs("files")] IEnumerable<StreamPart> files, CancellationToken cancellationToken);
}

public sealed record OctopusCredentials(string User, string Password)
{
    /// <summary>Records print their members; this one must never show the password.</summary>
    public override string ToString() => $"user {User}";
}

public sealed record OctopusToken(string Token)
{
    public override string ToString() => "token (hidden)";
}

public sealed record OctopusDossierToken(string DossierToken)
{
    public override string ToString() => "dossier token (hidden)";
}

public sealed record OctopusDossier(int DossierId, string Name);

public sealed record OctopusBookYear(int BookyearId, string Description, DateOnly StartDate, DateOnly EndDate, bool Closed);

public sealed record OctopusRelation
{
    public int? RelationId { get; init; }

    public required string Name { get; init; }

    public string? VatNr { get; init; }

    public string? StreetAndNr { get; init; }

    public string? PostalCode { get; init; }

    public string? City { get; init; }

    public string? Country { get; init; }

    public bool Client { get; init; }

    public bool Supplier { get; init; }
}

public sealed record OctopusBookingLine(string AccountKey, string VatCodeKey, decimal BaseAmount, decimal VatAmount, string? Comment);

public sealed record OctopusBuySellBooking
{
    public int BookyearId { get; init; }

    public required string JournalKey { get; init; }

    /// <summary>Given by Octopus when it books; empty when Koppel sends one.</summary>
    public int? DocumentSequenceNr { get; init; }

    public int RelationId { get; init; }

    public DateOnly DocumentDate { get; init; }

    public DateOnly? ExpiryDate { get; init; }

    /// <summary>Koppel writes its marker here (<see cref="OctopusBookingLookup.MarkerFor"/>) to find the booking again.</summary>
    public string? Comment { get; init; }

    /// <summary>The payment reference (structured communication).</summary>
    public string? Reference { get; init; }

    public decimal Amount { get; init; }

    public string CurrencyCode { get; init; } = "EUR";

    public IReadOnlyList<OctopusBookingLine> BookingLines { get; init; } = [];
}

public sealed record OctopusBookingKey(int BookyearId, string JournalKey, int DocumentSequenceNr)
{
    /// <summary>How the booking is known in Octopus and in Koppel's history: journal, book year, number.</summary>
    public string AsReference() => $"{JournalKey}/{BookyearId}/{DocumentSequenceNr}";
}

public sealed record OctopusCodaImport(int? ImportId);

public sealed record OctopusFileImport(string? ImportId);

/// <summary>The error body of both APIs.</summary>
public sealed record OctopusError(string? ErrorCode, string? ErrorMessage, string? TechnicalInfo);
