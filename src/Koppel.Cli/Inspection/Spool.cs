namespace Koppel.Cli.Inspection;

/// <summary>
/// Output held back until it may be written: in memory up to a few megabytes, then in a temporary file that is
/// deleted when the spool is disposed. Lets <c>inspect</c> print a file's summary only once the whole file was read
/// (a read error prints nothing on stdout) and put counts before the lines they count, with memory flat in the file size.
/// </summary>
internal sealed class Spool : Stream
{
    private const int MemoryLimit = 4 * 1024 * 1024;

    private MemoryStream? _memory = new();
    private FileStream? _file;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _memory?.Length ?? _file!.Length;

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_memory is not null && _memory.Length + buffer.Length > MemoryLimit)
        {
            _file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            _file.Write(_memory.GetBuffer(), 0, (int)_memory.Length);
            _memory = null;
        }

        if (_memory is not null)
        {
            _memory.Write(buffer);
        }
        else
        {
            _file!.Write(buffer);
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Copies what was spooled to <paramref name="target"/>, from byte <paramref name="skip"/> on, and empties the spool.</summary>
    public void MoveTo(Stream target, int skip = 0)
    {
        if (_memory is not null)
        {
            var length = (int)_memory.Length;
            if (length > skip)
            {
                target.Write(_memory.GetBuffer(), skip, length - skip);
            }

            _memory.SetLength(0);
            return;
        }

        _file!.Flush();
        _file.Position = Math.Min(skip, _file.Length);
        _file.CopyTo(target, 64 * 1024);
        _file.Dispose();
        _file = null;
        _memory = new MemoryStream();
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose();
            _memory?.Dispose();
        }

        base.Dispose(disposing);
    }
}
