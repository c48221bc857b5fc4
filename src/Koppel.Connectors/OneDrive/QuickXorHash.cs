namespace Koppel.Connectors.OneDrive;

/// <summary>
/// OneDrive for Business's content hash (<c>file.hashes.quickXorHash</c>), as Microsoft publishes the algorithm: every
/// byte is XORed into a 160-bit circular register at a position that advances 11 bits per byte, and the file's length
/// (64-bit little-endian) is XORed into the last 8 bytes of the result; the answer is base64. Fed in any slicing of the
/// data, one block at a time.
/// </summary>
internal sealed class QuickXorHash
{
    private const int WidthInBits = 160;
    private const int ShiftPerByte = 11;
    private const int BitsInLastCell = 32;

    private readonly ulong[] _cells = new ulong[3];
    private int _shiftSoFar;
    private long _length;

    public void Append(ReadOnlySpan<byte> data)
    {
        var cellIndex = _shiftSoFar / 64;
        var offset = _shiftSoFar % 64;
        var positions = Math.Min(data.Length, WidthInBits);
        for (var i = 0; i < positions; i++)
        {
            var lastCell = cellIndex == _cells.Length - 1;
            var cellBits = lastCell ? BitsInLastCell : 64;

            // Every 160th byte from i lands at the same bit position: fold them first.
            byte folded = 0;
            for (var j = i; j < data.Length; j += WidthInBits)
            {
                folded ^= data[j];
            }

            if (offset <= cellBits - 8)
            {
                _cells[cellIndex] ^= (ulong)folded << offset;
            }
            else
            {
                _cells[cellIndex] ^= (ulong)folded << offset;
                _cells[lastCell ? 0 : cellIndex + 1] ^= (ulong)folded >> (cellBits - offset);
            }

            offset += ShiftPerByte;
            while (offset >= cellBits)
            {
                cellIndex = lastCell ? 0 : cellIndex + 1;
                offset -= cellBits;
            }
        }

        _shiftSoFar = (int)((_shiftSoFar + ((long)ShiftPerByte * (data.Length % WidthInBits))) % WidthInBits);
        _length += data.Length;
    }

    public string Base64()
    {
        var result = new byte[WidthInBits / 8];
        for (var i = 0; i < _cells.Length; i++)
        {
            var bytes = BitConverter.GetBytes(_cells[i]);
            if (!BitConverter.IsLittleEndian)
            {
                Array.Reverse(bytes);
            }

            Array.Copy(bytes, 0, result, i * 8, Math.Min(8, result.Length - (i * 8)));
        }

        var length = BitConverter.GetBytes(_length);
        if (!BitConverter.IsLittleEndian)
        {
            Array.Reverse(length);
        }

        for (var i = 0; i < length.Length; i++)
        {
            result[result.Length - length.Length + i] ^= length[i];
        }

        return Convert.ToBase64String(result);
    }

    /// <summary>The hash of a whole stream, read one block at a time.</summary>
    public static async Task<string> ComputeAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var hash = new QuickXorHash();
        var buffer = new byte[1024 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.Append(buffer.AsSpan(0, read));
        }

        return hash.Base64();
    }
}
