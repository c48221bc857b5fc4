using System.Text.Json;

namespace Koppel.Azure.Queues;

/// <summary>
/// The wire format every Koppel job queue shares (camelCase JSON, as the Functions queue triggers bind it); each job kind
/// adds only what makes a body a usable job of its kind.
/// </summary>
public static class JobJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static BinaryData Serialize<TJob>(TJob job) => BinaryData.FromObjectAsJson(job, Options);

    /// <returns>null when the body is not JSON of the job, or the job fails <paramref name="isUsable"/>.</returns>
    public static TJob? TryDeserialize<TJob>(BinaryData body, Func<TJob, bool> isUsable)
        where TJob : class
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(isUsable);
        try
        {
            return body.ToObjectFromJson<TJob>(Options) is { } job && isUsable(job) ? job : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
