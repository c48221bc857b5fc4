using System.Text.Json;
using Koppel.Core.Events;

namespace Koppel.Azure.Events;

/// <summary>The one stored form of webhook deliveries and dead letters (camelCase JSON), for queue messages and table columns.</summary>
public static class WebhookJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static BinaryData Serialize(WebhookDelivery delivery) => BinaryData.FromObjectAsJson(delivery, Options);

    public static string SerializeEvent(PlatformEvent platformEvent) => JsonSerializer.Serialize(platformEvent, Options);

    public static PlatformEvent? DeserializeEvent(string? json) => json is null ? null : JsonSerializer.Deserialize<PlatformEvent>(json, Options);

    /// <returns>null when the body is not a usable webhook delivery.</returns>
    public static WebhookDelivery? TryDeserialize(BinaryData body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body.ToObjectFromJson<WebhookDelivery>(Options) is { SubscriptionId.Length: > 0, Event: not null } delivery ? delivery : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
