using System.Text.Json;

namespace Koppel.Core.Events;

/// <summary>
/// Something the invoicing platform wants to hear about, as it travels: a CloudEvents 1.0 event in structured JSON
/// (see <see cref="EventTypes"/>). The id is fixed by what happened (a delivery, a payment), so publishing the same fact
/// twice after a crash gives the same id and a consumer can drop the second copy.
/// </summary>
public sealed record PlatformEvent
{
    public required string Id { get; init; }

    /// <summary>One of <see cref="EventTypes"/>.</summary>
    public required string Type { get; init; }

    public required DateTimeOffset Time { get; init; }

    public required string DossierId { get; init; }

    /// <summary>What the event is about within the dossier: <c>documents/{id}</c>, <c>connections/{id}</c>.</summary>
    public required string Subject { get; init; }

    /// <summary>The event's data (JSON object), in the shape documented per type in docs/events.md.</summary>
    public required JsonElement Data { get; init; }
}

/// <summary>The events Koppel publishes. Their names follow the CloudEvents reverse-DNS convention.</summary>
public static class EventTypes
{
    public const string DocumentDelivered = "be.koppel.document.delivered";
    public const string DeliveryFailed = "be.koppel.delivery.failed";
    public const string PaymentReceived = "be.koppel.payment.received";
    public const string ConnectionNeedsAttention = "be.koppel.connection.attention";

    public static IReadOnlyList<string> All { get; } = [DocumentDelivered, DeliveryFailed, PaymentReceived, ConnectionNeedsAttention];
}
