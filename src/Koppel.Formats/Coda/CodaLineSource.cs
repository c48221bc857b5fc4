using System.Text;
using System.Text.Unicode;
using Koppel.Formats.Findings;

namespace Koppel.Formats.Coda;

/// <summary>
/// Splits a byte stream into text lines without loading it whole. Accepts LF, CRLF and lone CR
/// line ends, and decides the character set on the first line that is not plain ASCII.
/// </summary>
internal sealed class CodaLineSource
{
    private const int BufferSize = 64 * 1024;

    private static readonly Encoding Windows1252 = CreateWindows1252();

    private readonly Stream _stream;
    private readonly int _maxLineBytes;
    private readonly byte[] _buffer = new byte[BufferSize];
    private byte[] _pending = new byte[256];
    private char[] _chars = new char[256];
    private int _pendingLength;
    private int _start;
    private int _end;
    private bool _skipLineFeed;
    private bool _endOfStream;
    private bool _atStart = true;
    private Encoding? _encoding;

    public CodaLineSource(Stream stream, CodaReaderOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLineBytes, CodaRecord.Length, nameof(options));
        _stream = stream;
        _maxLineBytes = options.MaxLineBytes;
        _encoding = options.Encoding;
    }

    /// <summary>Number of the line returned last (1-based).</summary>
    public int LineNumber { get; private set; }

    /// <summary>
    /// The characters of the line read last, in a buffer that is reused for the next line; at least
    /// <see cref="CodaRecord.Length"/> long. Only the first <see cref="LineLength"/> characters are the line.
    /// </summary>
    public char[] Line => _chars;

    public int LineLength { get; private set; }

    /// <summary>Reads the next line into <see cref="Line"/>; false at the end of the stream.</summary>
    public bool ReadLine()
    {
        while (true)
        {
            if (TryTakeLine())
            {
                return true;
            }

            if (_endOfStream)
            {
                return TakeLastLine();
            }

            _start = 0;
            _end = _stream.Read(_buffer, 0, _buffer.Length);
            _endOfStream = _end == 0;
        }
    }

    /// <inheritdoc cref="ReadLine"/>
    public async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTakeLine())
            {
                return true;
            }

            if (_endOfStream)
            {
                return TakeLastLine();
            }

            _start = 0;
            _end = await _stream.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            _endOfStream = _end == 0;
        }
    }

    private bool TryTakeLine()
    {
        SkipByteOrderMark();
        if (_skipLineFeed && _start < _end)
        {
            _skipLineFeed = false;
            if (_buffer[_start] == (byte)'\n')
            {
                _start++;
            }
        }

        var available = _buffer.AsSpan(_start, _end - _start);
        var terminator = available.IndexOfAny((byte)'\n', (byte)'\r');
        if (terminator < 0)
        {
            Append(available);
            _start = _end;
            return false;
        }

        _skipLineFeed = available[terminator] == (byte)'\r';
        _start += terminator + 1;
        if (_pendingLength == 0)
        {
            // The usual case: the whole line is in the read buffer, so decode it from there without copying.
            CheckLength(terminator);
            Decode(available[..terminator]);
        }
        else
        {
            Append(available[..terminator]);
            DecodePending();
        }

        return true;
    }

    private bool TakeLastLine()
    {
        // A final line without a line end still counts; an empty tail after the last line end does not.
        if (_pendingLength == 0)
        {
            return false;
        }

        DecodePending();
        return true;
    }

    private void SkipByteOrderMark()
    {
        if (!_atStart || (_end - _start < 3 && !_endOfStream))
        {
            return;
        }

        _atStart = false;
        if (_buffer.AsSpan(_start, _end - _start).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            _start += 3;
            _encoding ??= Encoding.UTF8;
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        var needed = _pendingLength + bytes.Length;
        CheckLength(needed);

        if (needed > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(needed, _pending.Length * 2));
        }

        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength = needed;
    }

    private void CheckLength(int bytes)
    {
        if (bytes > _maxLineBytes)
        {
            throw new DocumentReadException(
                CodaRules.LineTooLong,
                $"Line is longer than {_maxLineBytes} bytes; a CODA record has 128 characters.",
                LineNumber + 1,
                _maxLineBytes + 1);
        }
    }

    private void DecodePending()
    {
        Decode(_pending.AsSpan(0, _pendingLength));
        _pendingLength = 0;
    }

    private void Decode(ReadOnlySpan<byte> bytes)
    {
        LineNumber++;

        if (bytes.Length > _chars.Length)
        {
            _chars = new char[bytes.Length];
        }

        // Plain ASCII reads the same in every supported character set: widen it in the same pass that checks it,
        // without an Encoding's per-call set-up (a CODA file has half a million lines).
        if (System.Text.Ascii.ToUtf16(bytes, _chars, out var written) == System.Buffers.OperationStatus.Done)
        {
            LineLength = written;
            return;
        }

        _encoding ??= Utf8.IsValid(bytes) ? Encoding.UTF8 : Windows1252;
        var maxChars = _encoding.GetMaxCharCount(bytes.Length);
        if (maxChars > _chars.Length)
        {
            _chars = new char[maxChars];
        }

        LineLength = _encoding.GetChars(bytes, _chars);
    }

    private static Encoding CreateWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }
}
