using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Refit;

namespace Koppel.Connectors.OneDrive;

/// <summary>
/// Graph for one connection and drive, for the length of one delivery, test or acknowledgement read: signs every call
/// with the consent's access token and drops that token from memory when Graph refuses it.
/// </summary>
internal sealed class GraphSession(IGraphApi api, HttpClient uploads, Func<CancellationToken, Task<string>> token, Action forgetToken, OneDriveOptions options)
{
    public IGraphApi Api => api;

    /// <summary>For the pre-authorised upload URLs of upload sessions (no Authorization header goes there).</summary>
    public HttpClient Uploads => uploads;

    public OneDriveOptions Options => options;

    public Task<string> TokenAsync(CancellationToken cancellationToken) => token(cancellationToken);

    public GraphFailure Refused(IApiResponse response, string what)
    {
        GraphResponses.ThrowIfNoAnswer(response);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            forgetToken();
        }

        return GraphResponses.Failure(response, what);
    }

    /// <summary>The file at <paramref name="path"/> in the drive, or null when nothing is there.</summary>
    public async Task<GraphItem?> ItemAsync(string driveId, string path, CancellationToken cancellationToken)
    {
        var bearer = await TokenAsync(cancellationToken);
        using var response = await api.ItemAsync(bearer, driveId, path.TrimStart('/'), cancellationToken);
        if (response.IsSuccessStatusCode && response.Content is { } item)
        {
            return item;
        }

        return response.StatusCode == HttpStatusCode.NotFound ? null : throw Refused(response, "look-up of " + path);
    }
}

/// <summary>
/// Puts one file into a drive without ever replacing one (<c>@microsoft.graph.conflictBehavior=fail</c>). A file already
/// under the name is ours when its size and <c>quickXorHash</c> equal those of what we send (an earlier attempt whose
/// answer was lost), and then counts as delivered; anything else there is someone else's file and the delivery stops.
/// Up to <see cref="OneDriveOptions.SingleUploadLimitBytes"/> in one PUT; above that through an upload session in
/// fragments of a multiple of 320 KiB, one fragment in memory at a time.
/// </summary>
internal static class OneDriveUploader
{
    public static async Task<GraphItem> PutAsync(GraphSession session, string driveId, DriveFile file, CancellationToken cancellationToken)
    {
        var path = file.Path.TrimStart('/');
        if (file.Size <= session.Options.SingleUploadLimitBytes)
        {
            var bearer = await session.TokenAsync(cancellationToken);
            await using var stream = await file.Open(cancellationToken);
            using var body = new StreamContent(stream);
            body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            body.Headers.ContentLength = file.Size;
            using var response = await session.Api.PutContentAsync(bearer, driveId, path, "fail", body, cancellationToken);
            if (response.IsSuccessStatusCode && response.Content is { } uploaded)
            {
                return uploaded;
            }

            return response.StatusCode == HttpStatusCode.Conflict
                ? await RecogniseAsync(session, driveId, file, null, cancellationToken)
                : throw session.Refused(response, "upload of " + file.Path);
        }

        // A big transfer is worth a look first: after a lost answer the file is already there.
        if (await session.ItemAsync(driveId, file.Path, cancellationToken) is { } existing)
        {
            return await RecogniseAsync(session, driveId, file, existing, cancellationToken);
        }

        return await UploadInFragmentsAsync(session, driveId, file, cancellationToken);
    }

    private static async Task<GraphItem> UploadInFragmentsAsync(GraphSession session, string driveId, DriveFile file, CancellationToken cancellationToken)
    {
        var what = "upload of " + file.Path;
        var bearer = await session.TokenAsync(cancellationToken);
        string uploadUrl;
        using (var created = await session.Api.CreateUploadSessionAsync(bearer, driveId, file.Path.TrimStart('/'), GraphUploadSessionRequest.FailOnConflict, cancellationToken))
        {
            if (created.StatusCode == HttpStatusCode.Conflict)
            {
                return await RecogniseAsync(session, driveId, file, null, cancellationToken);
            }

            uploadUrl = created.IsSuccessStatusCode && created.Content?.UploadUrl is { Length: > 0 } url ? url : throw session.Refused(created, what);
        }

        var buffer = new byte[(int)Math.Min(session.Options.FragmentBytes, file.Size)];
        await using var stream = await file.Open(cancellationToken);
        long offset = 0;
        int filled;
        while ((filled = await Chunks.FillAsync(stream, buffer, cancellationToken)) > 0)
        {
            using var fragment = new ByteArrayContent(buffer, 0, filled);
            fragment.Headers.ContentLength = filled;
            fragment.Headers.ContentRange = new ContentRangeHeaderValue(offset, offset + filled - 1, file.Size);
            using var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = fragment };
            using var response = await session.Uploads.SendAsync(request, cancellationToken);
            offset += filled;
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                continue;
            }

            if (response.IsSuccessStatusCode && offset >= file.Size)
            {
                return await response.Content.ReadFromJsonAsync<GraphItem>(GraphJson.Options, cancellationToken)
                    ?? throw new GraphFailure(DeliveryResult.Transient($"OneDrive finished the {what} without saying what it stored; Koppel checks again on the next try."));
            }

            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                return await RecogniseAsync(session, driveId, file, null, cancellationToken);
            }

            var error = GraphError.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            throw GraphResponses.Failure(response.StatusCode, response.Headers, error, what);
        }

        throw new GraphFailure(DeliveryResult.Transient(
            $"The archive gave {offset.ToString(CultureInfo.InvariantCulture)} of {file.Size.ToString(CultureInfo.InvariantCulture)} bytes for the {what}; Koppel tries again."));
    }

    /// <summary>A file is already under the name: ours (same size and hash) counts as delivered; someone else's stops the delivery.</summary>
    private static async Task<GraphItem> RecogniseAsync(GraphSession session, string driveId, DriveFile file, GraphItem? existing, CancellationToken cancellationToken)
    {
        existing ??= await session.ItemAsync(driveId, file.Path, cancellationToken);
        if (existing is null)
        {
            throw new GraphFailure(DeliveryResult.Transient($"OneDrive reported a file under {file.Path} that was gone a moment later; Koppel tries again."));
        }

        if (existing.Size == file.Size && existing.File?.Hashes?.QuickXorHash is { Length: > 0 } theirs)
        {
            await using var stream = await file.Open(cancellationToken);
            if (string.Equals(theirs, await QuickXorHash.ComputeAsync(stream, cancellationToken), StringComparison.Ordinal))
            {
                return existing;
            }
        }

        throw new GraphFailure(DeliveryResult.Permanent(
            $"A different file named {file.Path} is already in the OneDrive; Koppel never replaces a file it did not put there. "
            + "Move or rename that file (or change the connection's path template), then send the document again."));
    }
}
