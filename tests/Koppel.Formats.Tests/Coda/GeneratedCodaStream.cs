using System.Globalization;
using System.Text;

namespace Koppel.Formats.Tests.Coda;

/// <summary>
/// A read-only, non-seekable stream that produces a consistent CODA file with many movements on demand,
/// so tests can show the reader handles big files without the file ever existing whole.
/// </summary>
internal sealed class GeneratedCodaStream(int movements) : Stream
{
    private readonly IEnumerator<string> _lines = Lines(movements).GetEnumerator();
    private byte[] _current = [];
    private int _offset;

    public long BytesProduced { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesProduced;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_offset == _current.Length)
        {
            if (!_lines.MoveNext())
            {
                return 0;
            }

            _current = Encoding.ASCII.GetBytes(_lines.Current + "\r\n");
            _offset = 0;
        }

        var n = Math.Min(count, _current.Length - _offset);
        Array.Copy(_current, _offset, buffer, offset, n);
        _offset += n;
        BytesProduced += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        _lines.Dispose();
        base.Dispose(disposing);
    }

    private static IEnumerable<string> Lines(int movements)
    {
        yield return SyntheticCoda.Record((1, "00000"), (6, "150126"), (12, "725"), (15, "05"), (61, "KREDBEBB"), (128, "2"));
        yield return SyntheticCoda.Record((1, "10012"), (6, "539007547034"), (19, "EUR0BE"), (43, "0"), (44, SyntheticCoda.Amount(0m)), (59, "140126"), (126, "012"));
        decimal credits = 0m;
        for (var i = 1; i <= movements; i++)
        {
            var amount = 1m + (i % 1000 / 100m);
            credits += amount;
            var sequence = (i % 10_000).ToString("D4", CultureInfo.InvariantCulture);
            yield return SyntheticCoda.Record((1, "21"), (3, sequence), (7, "0000"), (32, "0"), (33, SyntheticCoda.Amount(amount)), (48, "150126"), (54, "00150000"), (62, "0"), (63, "Invoice " + i.ToString(CultureInfo.InvariantCulture)), (116, "150126"), (126, "1"));
            yield return SyntheticCoda.Record((1, "22"), (3, sequence), (7, "0000"), (11, "continued"), (64, "E2E" + i.ToString(CultureInfo.InvariantCulture)), (99, "GEBABEBB"), (126, "1"));
            yield return SyntheticCoda.Record((1, "23"), (3, sequence), (7, "0000"), (11, "BE68539007547034"), (48, "CUSTOMER " + i.ToString(CultureInfo.InvariantCulture)));
        }

        yield return SyntheticCoda.Record((1, "8012"), (5, "539007547034"), (18, "EUR0BE"), (42, "0"), (43, SyntheticCoda.Amount(credits)), (58, "150126"));
        var count = (2 + (3 * movements)).ToString("D6", CultureInfo.InvariantCulture);
        yield return SyntheticCoda.Record((1, "9"), (17, count), (23, SyntheticCoda.Amount(0m)), (38, SyntheticCoda.Amount(credits)), (128, "2"));
    }
}
