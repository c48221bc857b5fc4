using System.Net.Mime;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;

namespace Koppel.Core.Events;

/// <summary>
/// The one wire format of Koppel's events: CloudEvents 1.0, structured mode, JSON, written by the CloudEvents SDK. The
/// webhook body and the file in the events container are the same bytes. The source is the dossier
/// (<c>/koppel/dossiers/{id}</c>); with the id it names the event uniquely, as the specification asks.
/// </summary>
public static class CloudEventFormat
{
    public const string MediaType = "application/cloudevents+json";

    private static readonly JsonEventFormatter Formatter = new();

    public static ReadOnlyMemory<byte> Encode(PlatformEvent platformEvent)
    {
        ArgumentNullException.ThrowIfNull(platformEvent);
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = platformEvent.Id,
            Type = platformEvent.Type,
            Source = new Uri($"/koppel/dossiers/{platformEvent.DossierId}", UriKind.Relative),
            Subject = platformEvent.Subject,
            Time = platformEvent.Time,
            DataContentType = MediaTypeNames.Application.Json,
            Data = platformEvent.Data,
        };
        return Formatter.EncodeStructuredModeMessage(cloudEvent, out _);
    }

    /// <summary>Reads a structured-mode event back (a consumer's side; the tests' webhook receiver).</summary>
    public static CloudEvent Decode(ReadOnlyMemory<byte> body) =>
        Formatter.DecodeStructuredModeMessage(body, new ContentType(MediaType), extensionAttributes: null);
}
