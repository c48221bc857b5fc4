using System.Security.Cryptography;
using Koppel.Core.Ingestion;

namespace Koppel.Core.Ports;

/// <summary>
/// Bytes read once from their source, hashed on the way, and kept (in memory up to <see cref="MemoryLimit"/>, in a
/// temporary file beyond) so they can be validated and then archived without reading the source again: the archive
/// holds exactly the bytes that were validated, even if the producer replaces the source meanwhile. The content id
/// is computed here and nowhere else, so content-addressed storage can trust it.
/// </summary>
public sealed class SpooledContent : IAsyncDisposable
{
    /// <summary>Above this a spool goes to disk: eight ingests in parallel then hold at most 8 MiB in memory.</summary>
    public const int MemoryLimit = 1 << 20;

    private readonly byte[]? _memory;
    private readonly FileStream? _file;

    private SpooledContent(string contentId, long size, byte[]? memory, FileStream? file)
    {
        ContentId = contentId;
        Size = size;
        _memory = memory;
        _file = file;
    }

    /// <summary>Lower-case hex SHA-256 of the bytes.</summary>
    public string ContentId { get; }

    public long Size { get; }

    /// <summary>Reads <paramref name="source"/> to its end; throws <see cref="DocumentTooLargeException"/> past <paramref name="maxBytes"/>.</summary>
    public static async Task<SpooledContent> CaptureAsync(Stream source, long maxBytes, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var memory = new MemoryStream();
        FileStream? file = null;
        var buffer = new byte[81920];
        long size = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > maxBytes)
                {
                    throw new DocumentTooLargeException($"{name} is larger than the limit of {maxBytes:N0} bytes.");
                }

                hash.AppendData(buffer, 0, read);
                if (file is null && memory.Length + read > MemoryLimit)
                {
                    file = CreateSpoolFile();
                    memory.Position = 0;
                    await memory.CopyToAsync(file, cancellationToken);
                    memory.SetLength(0);
                    memory.Capacity = 0;
                }

                if (file is null)
                {
                    memory.Write(buffer, 0, read);
                }
                else
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            if (file is not null)
            {
                await file.FlushAsync(cancellationToken);
            }

            var id = Convert.ToHexStringLower(hash.GetHashAndReset());
            return new SpooledContent(id, size, file is null ? memory.ToArray() : null, file);
        }
        catch
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>A new reader from the first byte; several may be open one after another.</summary>
    public Stream OpenRead() => _memory is not null
        ? new MemoryStream(_memory, writable: false)
        : new FileStream(_file!.Name, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public async ValueTask DisposeAsync()
    {
        if (_file is not null)
        {
            await _file.DisposeAsync(); // DeleteOnClose removes it
        }
    }

    private static FileStream CreateSpoolFile()
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "koppel-spool"));
        return new FileStream(
            Path.Combine(folder.FullName, Guid.NewGuid().ToString("N") + ".spool"),
            FileMode.CreateNew,
            FileAccess.ReadWrite,
            FileShare.Read | FileShare.Delete,
            81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
    }
}
