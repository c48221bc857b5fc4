using Koppel.Connectors.Common;

namespace Koppel.Connectors.LocalFolder;

/// <summary>
/// Writes a file so that a reader never sees half of it: the bytes go to a hidden <c>.part</c> file first,
/// which is renamed to the final name once complete. A crash leaves at most a <c>.part</c> file, which the
/// next attempt overwrites.
/// </summary>
internal static class AtomicFileWriter
{
    private const int BufferSize = 81920;

    public static async Task<WriteOutcome> WriteAsync(
        string finalPath,
        long expectedSize,
        Func<CancellationToken, Task<Stream>> openSource,
        CancellationToken cancellationToken)
    {
        if (IsAlreadyPresent(finalPath, expectedSize))
        {
            return WriteOutcome.AlreadyPresent;
        }

        var folder = Path.GetDirectoryName(finalPath)!;
        var partPath = Path.Combine(folder, DeliveryFileName.PartNameFor(Path.GetFileName(finalPath)));

        var ownsPart = false;
        try
        {
            await using var source = await openSource(cancellationToken);
            await using var target = new FileStream(partPath, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            ownsPart = true;
            await source.CopyToAsync(target, BufferSize, cancellationToken);

            // On disk before the rename: otherwise a power cut could leave a published but empty file.
            target.Flush(flushToDisk: true);
        }
        catch when (ownsPart)
        {
            // A retry would overwrite it, but a delivery that is given up on should not leave debris behind.
            // (Only ours: a .part another attempt holds open is that attempt's business.)
            TryDelete(partPath);
            throw;
        }

        try
        {
            File.Move(partPath, finalPath, overwrite: false);
        }
        catch (IOException) when (IsAlreadyPresent(finalPath, expectedSize))
        {
            // Another attempt of the same delivery published it first; ours is redundant.
            File.Delete(partPath);
            return WriteOutcome.AlreadyPresent;
        }

        return WriteOutcome.Written;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort; the original failure is what matters.
        }
    }

    /// <exception cref="ExistingFileConflictException">A file of another size has the name.</exception>
    private static bool IsAlreadyPresent(string finalPath, long expectedSize)
    {
        var existing = new FileInfo(finalPath);
        if (!existing.Exists)
        {
            return false;
        }

        return existing.Length == expectedSize
            ? true
            : throw new ExistingFileConflictException(finalPath, existing.Length, expectedSize);
    }
}
