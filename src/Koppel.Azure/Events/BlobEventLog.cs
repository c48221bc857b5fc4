using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Koppel.Core.Events;

namespace Koppel.Azure.Events;

/// <summary>
/// The events container: each published event as its CloudEvents JSON at <c>{yyyy}/{MM}/{dd}/{HH}/{event id}.json</c>
/// (UTC, the hour it was published), so a batch consumer reads an hour, a day or a month by prefix. Publishing is at
/// least once: after a crash the same event may be written again, in a later hour; consumers drop repeats by id.
/// </summary>
public sealed class BlobEventLog : IEventLog
{
    private readonly BlobContainerClient _container;
    private readonly CreateOnce _ensureContainer;

    public BlobEventLog(BlobContainerClient container)
    {
        _container = container;
        _ensureContainer = new CreateOnce(ct => _container.CreateIfNotExistsAsync(cancellationToken: ct));
    }

    public static string PathOf(PlatformEvent platformEvent)
    {
        ArgumentNullException.ThrowIfNull(platformEvent);
        var at = platformEvent.Time.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{at:yyyy}/{at:MM}/{at:dd}/{at:HH}/{Uri.EscapeDataString(platformEvent.Id)}.json");
    }

    public async Task AppendAsync(PlatformEvent platformEvent, CancellationToken cancellationToken)
    {
        await _ensureContainer.EnsureAsync(cancellationToken);
        await _container.GetBlobClient(PathOf(platformEvent)).UploadAsync(
            BinaryData.FromBytes(CloudEventFormat.Encode(platformEvent)),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = CloudEventFormat.MediaType } },
            cancellationToken);
    }
}
