using Koppel.Formats.Findings;

namespace Koppel.Formats.Ubl;

/// <summary>
/// Read-only pass-through that counts bytes and stops at a limit. Works on non-seekable streams,
/// where Length is unknown, so an endless or huge upload is cut off early. It also keeps the first
/// few kilobytes, so an error in the prolog (where XmlReader gives no line number) can still be located.
/// </summary>
internal sealed class SizeLimitedStream(Stream inner, long maxBytes) : Stream
{
    private const int PrefixCapacity = 4096;

    private readonly byte[] _prefix = new byte[PrefixCapacity];
    private long _read;

    /// <summary>The first bytes read (up to 4 KiB): the XML declaration and any DOCTYPE live there.</summary>
    public ReadOnlySpan<byte> Prefix => _prefix.AsSpan(0, (int)Math.Min(_read, PrefixCapacity));

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        Remember(buffer[..n]);
        Count(n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Remember(buffer.Span[..n]);
        Count(n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Remember(ReadOnlySpan<byte> chunk)
    {
        if (_read < PrefixCapacity)
        {
            var room = PrefixCapacity - (int)_read;
            chunk[..Math.Min(room, chunk.Length)].CopyTo(_prefix.AsSpan((int)_read));
        }
    }

    private void Count(int n)
    {
        _read += n;
        if (_read > maxBytes)
        {
            throw new DocumentReadException(
                UblReadRules.TooLarge,
                $"The document is larger than the configured limit of {maxBytes:N0} bytes.");
        }
    }
}
