namespace Koppel.Connectors.Email;

/// <summary>
/// MimeKit's <c>MimeContent</c> needs a seekable stream (it rewinds before writing). Archive streams that
/// cannot seek are spooled to a temporary file, which keeps memory flat for large attachments; the file
/// disappears when the stream is closed.
/// </summary>
internal static class SeekableContent
{
    private const int BufferSize = 81920;

    public static async Task<Stream> EnsureSeekableAsync(Stream source, CancellationToken cancellationToken)
    {
        if (source.CanSeek)
        {
            return source;
        }

        await using (source)
        {
            var spool = new FileStream(
                Path.Combine(Path.GetTempPath(), $"koppel-mail-{Guid.NewGuid():N}.tmp"),
                FileMode.CreateNew,
                FileAccess.ReadWrite,
                FileShare.None,
                BufferSize,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose);
            try
            {
                await source.CopyToAsync(spool, BufferSize, cancellationToken);
                spool.Position = 0;
                return spool;
            }
            catch
            {
                await spool.DisposeAsync();
                throw;
            }
        }
    }
}
