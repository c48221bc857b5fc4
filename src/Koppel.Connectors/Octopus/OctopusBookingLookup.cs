using System.Globalization;

namespace Koppel.Connectors.Octopus;

/// <summary>
/// Finds a booking Koppel made before, so a retry after a lost answer returns it instead of booking twice.
/// Octopus has no "get by external reference" call; Koppel writes a marker with the delivery id into the
/// booking's comment and reads <c>buysellbookings/modified</c> of the book year since the document arrived
/// (a booking for it cannot be older). A third-party remark mentions a small daily cap on "modified" calls:
/// if that proves true, this is the one place to change.
/// </summary>
public static class OctopusBookingLookup
{
    public static string MarkerFor(string deliveryId) => $"[koppel:{deliveryId}]";

    public static async Task<OctopusBookingKey?> FindAsync(IOctopusApi api, string dossierToken, int dossierId, int bookYearId, string deliveryId, DateTimeOffset documentReceivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(api);
        var since = documentReceivedAt == default ? DateTimeOffset.UtcNow.AddDays(-90) : documentReceivedAt.AddDays(-1);
        var modified = await api.GetModifiedBookingsAsync(dossierToken, dossierId, bookYearId, since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture), cancellationToken);
        var marker = MarkerFor(deliveryId);
        var found = modified.FirstOrDefault(b => b.Comment?.Contains(marker, StringComparison.Ordinal) == true && b.DocumentSequenceNr is not null);
        return found is null ? null : new OctopusBookingKey(found.BookyearId, found.JournalKey, found.DocumentSequenceNr!.Value);
    }
}
