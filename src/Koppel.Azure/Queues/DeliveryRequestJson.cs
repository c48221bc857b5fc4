using System.Text.Json;
using Koppel.Core.Domain;

namespace Koppel.Azure.Queues;

/// <summary>The one wire format of a <see cref="DeliveryRequest"/> on every queue (camelCase JSON).</summary>
internal static class DeliveryRequestJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static BinaryData Serialize(DeliveryRequest request) => BinaryData.FromObjectAsJson(request, Options);

    /// <returns>null when the body is not a usable delivery request.</returns>
    public static DeliveryRequest? TryDeserialize(BinaryData body)
    {
        try
        {
            return body.ToObjectFromJson<DeliveryRequest>(Options);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
