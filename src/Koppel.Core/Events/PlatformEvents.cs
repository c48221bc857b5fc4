using System.Text.Json;
using Koppel.Core.Domain;

namespace Koppel.Core.Events;

/// <summary>The events Koppel publishes, built from the facts they report; one place for their ids and data shapes.</summary>
public static class PlatformEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static PlatformEvent DocumentDelivered(DeliveryEntry entry, string providerReference, DateTimeOffset at) => new()
    {
        Id = $"{entry.DossierId}.{entry.DeliveryId}.delivered",
        Type = EventTypes.DocumentDelivered,
        Time = at,
        DossierId = entry.DossierId,
        Subject = $"documents/{entry.DocumentId}",
        Data = Data(new
        {
            dossierId = entry.DossierId,
            documentId = entry.DocumentId,
            deliveryId = entry.DeliveryId,
            connectionId = entry.ConnectionId,
            provider = entry.Provider,
            providerReference,
            attempts = entry.Attempts,
        }),
    };

    /// <summary>A delivery that ended without success: refused for good, or given up after the attempt limit.</summary>
    public static PlatformEvent DeliveryFailed(DeliveryEntry entry, DeliveryStatus status, string reason, DateTimeOffset at) => new()
    {
        Id = $"{entry.DossierId}.{entry.DeliveryId}.{status.ToString().ToLowerInvariant()}",
        Type = EventTypes.DeliveryFailed,
        Time = at,
        DossierId = entry.DossierId,
        Subject = $"documents/{entry.DocumentId}",
        Data = Data(new
        {
            dossierId = entry.DossierId,
            documentId = entry.DocumentId,
            deliveryId = entry.DeliveryId,
            connectionId = entry.ConnectionId,
            provider = entry.Provider,
            status = status.ToString(),
            reason,
            attempts = entry.Attempts,
        }),
    };

    /// <summary>A payment of a sales invoice Koppel delivered, seen at the accounting package or on the bank statement.</summary>
    public static PlatformEvent PaymentReceived(
        string dossierId, string documentId, string paymentId, decimal amount, string currency, DateOnly paidOn, string source, decimal? stillOpen, DateTimeOffset at) => new()
        {
            Id = $"{dossierId}.{paymentId}.payment",
            Type = EventTypes.PaymentReceived,
            Time = at,
            DossierId = dossierId,
            Subject = $"documents/{documentId}",
            Data = Data(new
            {
                dossierId,
                documentId,
                paymentId,
                amount,
                currency,
                paidOn = paidOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                source,
                stillOpen,
            }),
        };

    /// <summary>A connection turned broken or needs a new consent; one event per change (keyed by its time).</summary>
    public static PlatformEvent ConnectionNeedsAttention(Connection connection, ConnectionHealth health) => new()
    {
        Id = FormattableString.Invariant($"{connection.DossierId}.{connection.Id}.{health.Status.ToString().ToLowerInvariant()}.{health.Since.UtcTicks}"),
        Type = EventTypes.ConnectionNeedsAttention,
        Time = health.Since,
        DossierId = connection.DossierId,
        Subject = $"connections/{connection.Id}",
        Data = Data(new
        {
            dossierId = connection.DossierId,
            connectionId = connection.Id,
            provider = connection.Provider,
            displayName = connection.DisplayName,
            health = health.Status.ToString(),
            reason = health.Reason,
            since = health.Since,
            warning = health.Warning,
        }),
    };

    /// <summary>
    /// The same event type for a warning raised while the connection still works (a quota nearly used): its id follows
    /// the warning's time, so each day's warning is a new event and a replay of one is the same event.
    /// </summary>
    public static PlatformEvent ConnectionWarned(Connection connection, ConnectionHealth health)
    {
        var warnedAt = health.WarnedAt ?? health.Since;
        return ConnectionNeedsAttention(connection, health) with
        {
            Id = FormattableString.Invariant($"{connection.DossierId}.{connection.Id}.warning.{warnedAt.UtcTicks}"),
            Time = warnedAt,
        };
    }

    private static JsonElement Data(object value) => JsonSerializer.SerializeToElement(value, Json);
}
