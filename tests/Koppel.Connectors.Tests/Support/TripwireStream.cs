namespace Koppel.Connectors.Tests.Support;

/// <summary>A read-only stream that runs an action once, when the reader gets past a given position: to crash a server mid-transfer.</summary>
public sealed class TripwireStream : Stream
{
    private readonly Stream _inner;
    private readonly long _tripAt;
    private Action? _onTrip;

    public TripwireStream(Stream inner, long tripAt, Action onTrip)
    {
        _inner = inner;
        _tripAt = tripAt;
        _onTrip = onTrip;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _inner.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _inner.Read(buffer, offset, count);
        if (_onTrip is not null && _inner.Position >= _tripAt)
        {
            var trip = _onTrip;
            _onTrip = null;
            trip();
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
