using System.Globalization;
using Koppel.Formats.Findings;

namespace Koppel.Formats.Coda;

/// <summary>
/// One 128-character record with field accessors that take the 1-based positions of the format
/// documentation. Fields that cannot be read become findings at their exact position, not exceptions.
/// </summary>
internal readonly struct CodaRecord
{
    public const int Length = 128;

    private readonly char[] _text;
    private readonly FindingSink _findings;

    /// <summary>
    /// Wraps the first <paramref name="length"/> characters of <paramref name="buffer"/> (at least 128 long).
    /// The record is only valid until the buffer is reused for the next line: fields are copied out, never kept.
    /// </summary>
    public CodaRecord(char[] buffer, int length, int lineNumber, FindingSink findings)
    {
        // Short lines are padded so every field can be read; the length finding is raised by the caller.
        if (length < Length)
        {
            buffer.AsSpan(length, Length - length).Fill(' ');
        }

        _text = buffer;
        TextLength = length;
        LineNumber = lineNumber;
        _findings = findings;
    }

    public int LineNumber { get; }

    /// <summary>Length of the line as it stood in the file, before padding.</summary>
    public int TextLength { get; }

    public char this[int position] => _text[position - 1];

    /// <summary>The raw characters at positions <paramref name="position"/>..position+length-1.</summary>
    public ReadOnlySpan<char> Span(int position, int length) => _text.AsSpan(position - 1, length);

    public string Raw(int position, int length) => new(_text, position - 1, length);

    /// <summary>The field trimmed, or null when it is blank.</summary>
    public string? Text(int position, int length)
    {
        var value = TrimBlanks(Span(position, length));
        return value.IsEmpty ? null : value.ToString();
    }

    /// <summary>
    /// The same as <see cref="MemoryExtensions.Trim(ReadOnlySpan{char})"/>, faster on fixed-width fields: the padding
    /// blanks are skipped with a vectorised search first, then any other white space at the ends goes as Trim would.
    /// </summary>
    public static ReadOnlySpan<char> TrimBlanks(ReadOnlySpan<char> text)
    {
        var start = text.IndexOfAnyExcept(' ');
        return start < 0 ? [] : text[start..(text.LastIndexOfAnyExcept(' ') + 1)].Trim();
    }

    public int Number(int position, int length, string field)
    {
        var span = Span(position, length);
        var value = 0;
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                Warn(CodaRules.Numeric, $"{field} '{span}' is not a number.", position);
                return 0;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }

    /// <summary>Reads a sign digit (0 credit, 1 debit) and a 15-digit amount with 3 decimals.</summary>
    public decimal Amount(int signPosition, int amountPosition, string field)
    {
        var amount = UnsignedAmount(amountPosition, field);
        return this[signPosition] switch
        {
            '0' => amount,
            '1' => -amount,
            var sign => WarnSign(sign, signPosition, field, amount),
        };
    }

    /// <summary>Reads a 15-digit amount with 3 decimals (12 integer digits, no separator).</summary>
    public decimal UnsignedAmount(int position, string field)
    {
        var span = Span(position, 15);
        long thousandths = 0;
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                Warn(CodaRules.Numeric, $"{field} '{span}' is not a number.", position);
                return 0m;
            }

            thousandths = (thousandths * 10) + (c - '0');
        }

        // Scale 3 keeps the three decimals of the file (5.000), and avoids a decimal division per amount.
        return new decimal((int)thousandths, (int)(thousandths >> 32), 0, isNegative: false, scale: 3);
    }

    /// <summary>Reads a DDMMYY date; 000000 means unknown.</summary>
    public DateOnly? Date(int position, string field)
    {
        var span = Span(position, 6);
        if (span.SequenceEqual("000000"))
        {
            return null;
        }

        if (span.ContainsAnyExceptInRange('0', '9'))
        {
            Warn(CodaRules.Date, $"{field} '{span}' is not a DDMMYY date.", position);
            return null;
        }

        var day = TwoDigits(span[..2]);
        var month = TwoDigits(span[2..4]);
        var year = TwoDigits(span[4..]);

        // Same century rule as .NET's two-digit years: 00–49 is 20xx, 50–99 is 19xx.
        year += year < 50 ? 2000 : 1900;
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            Warn(CodaRules.Date, $"{field} '{span}' is not a DDMMYY date.", position);
            return null;
        }

        return new DateOnly(year, month, day);
    }

    private static int TwoDigits(ReadOnlySpan<char> digits) => ((digits[0] - '0') * 10) + (digits[1] - '0');

    public void Warn(string rule, string message, int position) =>
        _findings.Warn(rule, message, LineNumber, position);

    private decimal WarnSign(char sign, int position, string field, decimal amount)
    {
        Warn(CodaRules.Numeric, $"{field} sign '{sign}' is neither 0 (credit) nor 1 (debit); read as credit.", position);
        return amount;
    }
}

/// <summary>Collects the warnings of the statement being read.</summary>
internal sealed class FindingSink
{
    private List<Finding> _findings = [];

    private static int TwoDigits(ReadOnlySpan<char> digits) => ((digits[0] - '0') * 10) + (digits[1] - '0');

    public void Warn(string rule, string message, int line, int position) =>
        _findings.Add(new Finding(rule, FindingSeverity.Warning, message, Location(line, position)));

    /// <summary>Hands over what was collected and starts a new list.</summary>
    public IReadOnlyList<Finding> Take()
    {
        var taken = _findings;
        _findings = [];
        return taken;
    }

    public static string Location(int line, int position) =>
        string.Create(CultureInfo.InvariantCulture, $"line {line}, position {position}");
}
