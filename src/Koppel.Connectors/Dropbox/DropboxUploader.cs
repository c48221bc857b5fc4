using System.Net;
using System.Net.Http.Headers;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Refit;

namespace Koppel.Connectors.Dropbox;

/// <summary>
/// Dropbox's API for one connection, for the length of one delivery, test or acknowledgement read: signs every call
/// with the consent's access token (dropping it from memory when Dropbox refuses it) and points every path at the
/// connection's team space when it has one.
/// </summary>
internal sealed class DropboxSession(IDropboxApi api, IDropboxContent content, Func<CancellationToken, Task<string>> token, Action forgetToken, string? namespaceId, DropboxOptions options)
{
    public IDropboxApi Api => api;

    public IDropboxContent Content => content;

    public DropboxOptions Options => options;

    public string? PathRoot { get; } = DropboxJson.PathRoot(namespaceId);

    public Task<string> TokenAsync(CancellationToken cancellationToken) => token(cancellationToken);

    /// <summary>Turns a refused answer into a <see cref="DropboxFailure"/>, forgetting the access token on a 401.</summary>
    public DropboxFailure Refused(IApiResponse response, string what)
    {
        DropboxResponses.ThrowIfNoAnswer(response);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            forgetToken();
        }

        return DropboxResponses.Failure(response, what);
    }

    /// <summary>The file at <paramref name="path"/>, or null when nothing is there.</summary>
    public async Task<DropboxFileMetadata?> MetadataAsync(string path, CancellationToken cancellationToken)
    {
        var bearer = await TokenAsync(cancellationToken);
        using var response = await api.MetadataAsync(bearer, PathRoot, new DropboxPathArg(path), cancellationToken);
        if (response.IsSuccessStatusCode && response.Content is { } metadata)
        {
            return metadata.Tag is null or "file" ? metadata : null;
        }

        if (response.StatusCode == HttpStatusCode.Conflict && DropboxResponses.Error(response).Mentions("not_found"))
        {
            return null;
        }

        throw Refused(response, "look-up of " + path);
    }
}

/// <summary>
/// Puts one file into Dropbox without ever overwriting one: <c>mode=add</c> without autorename. A file already under the
/// name is ours when its <c>content_hash</c> equals the hash of what we send (an earlier attempt whose answer was lost),
/// and then counts as delivered; anything else there is someone else's file and the delivery stops. Up to
/// <see cref="DropboxOptions.SingleUploadLimitBytes"/> in one <c>files/upload</c>; above that through an upload session,
/// one chunk in memory at a time, after checking whether an earlier attempt already left the file.
/// </summary>
internal static class DropboxUploader
{
    public static async Task<DropboxFileMetadata> PutAsync(DropboxSession session, DriveFile file, CancellationToken cancellationToken)
    {
        if (file.Size <= session.Options.SingleUploadLimitBytes)
        {
            var bearer = await session.TokenAsync(cancellationToken);
            await using var stream = await file.Open(cancellationToken);
            using var body = Octets(new StreamContent(stream), file.Size);
            using var response = await session.Content.UploadAsync(bearer, session.PathRoot, DropboxJson.Arg(new DropboxCommit(file.Path)), body, cancellationToken);
            if (response.IsSuccessStatusCode && response.Content is { } uploaded)
            {
                return uploaded;
            }

            return IsConflict(response)
                ? await RecogniseAsync(session, file, null, cancellationToken)
                : throw session.Refused(response, "upload of " + file.Path);
        }

        // A big transfer is worth a look first: after a lost answer the file is already there.
        if (await session.MetadataAsync(file.Path, cancellationToken) is { } existing)
        {
            return await RecogniseAsync(session, file, existing, cancellationToken);
        }

        return await UploadInChunksAsync(session, file, cancellationToken);
    }

    private static async Task<DropboxFileMetadata> UploadInChunksAsync(DropboxSession session, DriveFile file, CancellationToken cancellationToken)
    {
        var what = "upload of " + file.Path;
        var buffer = new byte[(int)Math.Min(session.Options.ChunkBytes, file.Size)];
        await using var stream = await file.Open(cancellationToken);

        var filled = await Chunks.FillAsync(stream, buffer, cancellationToken);
        string sessionId;
        using (var first = Octets(new ByteArrayContent(buffer, 0, filled), filled))
        {
            var bearer = await session.TokenAsync(cancellationToken);
            using var started = await session.Content.StartSessionAsync(bearer, session.PathRoot, DropboxJson.Arg(new DropboxSessionStartArg(Close: false)), first, cancellationToken);
            sessionId = started.IsSuccessStatusCode && started.Content?.SessionId is { Length: > 0 } id ? id : throw session.Refused(started, what);
        }

        long offset = filled;
        while ((filled = await Chunks.FillAsync(stream, buffer, cancellationToken)) > 0)
        {
            using var chunk = Octets(new ByteArrayContent(buffer, 0, filled), filled);
            var bearer = await session.TokenAsync(cancellationToken);
            using var appended = await session.Content.AppendAsync(bearer, session.PathRoot, DropboxJson.Arg(new DropboxAppendArg(new DropboxCursor(sessionId, offset), Close: false)), chunk, cancellationToken);
            if (!appended.IsSuccessStatusCode)
            {
                throw session.Refused(appended, what);
            }

            offset += filled;
        }

        using var none = Octets(new ByteArrayContent([]), 0);
        var finishBearer = await session.TokenAsync(cancellationToken);
        using var finished = await session.Content.FinishSessionAsync(finishBearer, session.PathRoot, DropboxJson.Arg(new DropboxFinishArg(new DropboxCursor(sessionId, offset), new DropboxCommit(file.Path))), none, cancellationToken);
        if (finished.IsSuccessStatusCode && finished.Content is { } done)
        {
            return done;
        }

        return IsConflict(finished)
            ? await RecogniseAsync(session, file, null, cancellationToken)
            : throw session.Refused(finished, what);
    }

    /// <summary>A file is already under the name: ours (same content) counts as delivered; someone else's stops the delivery.</summary>
    private static async Task<DropboxFileMetadata> RecogniseAsync(DropboxSession session, DriveFile file, DropboxFileMetadata? existing, CancellationToken cancellationToken)
    {
        existing ??= await session.MetadataAsync(file.Path, cancellationToken);
        if (existing is null)
        {
            // Gone between the conflict and the look-up (the receiver moved it): the next attempt writes it again.
            throw new DropboxFailure(DeliveryResult.Transient($"Dropbox reported a file under {file.Path} that was gone a moment later; Koppel tries again."));
        }

        if (existing.Size == file.Size && existing.ContentHash is { Length: > 0 } theirs)
        {
            await using var stream = await file.Open(cancellationToken);
            var ours = await DropboxContentHash.ComputeAsync(stream, cancellationToken);
            if (string.Equals(theirs, ours, StringComparison.OrdinalIgnoreCase))
            {
                return existing;
            }
        }

        throw new DropboxFailure(DeliveryResult.Permanent(
            $"A different file named {existing.PathDisplay ?? file.Path} is already in Dropbox; Koppel never overwrites a file it did not put there. "
            + "Move or rename that file (or change the connection's path template), then send the document again."));
    }

    private static bool IsConflict(IApiResponse response) =>
        response.StatusCode == HttpStatusCode.Conflict && DropboxResponses.Error(response).Mentions("conflict");

    private static HttpContent Octets(HttpContent content, long length)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.ContentLength = length;
        return content;
    }
}
