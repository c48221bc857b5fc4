using System.Globalization;
using System.Text;

namespace Koppel.Formats.Tests.Coda;

/// <summary>
/// Writes CODA files for tests, field by field at the positions of the format documentation.
/// It keeps the trailer count, the trailer sums and the new balance consistent unless told otherwise.
/// </summary>
internal sealed class SyntheticCoda
{
    private readonly List<string> _lines = [];
    private readonly int _version;
    private int _counted;
    private decimal _debits;
    private decimal _credits;
    private decimal _balance;
    private string _account = "539007547034";

    public SyntheticCoda(int version = 2) => _version = version;

    public IReadOnlyList<string> Lines => _lines;

    /// <summary>Places each value at its 1-based position in a 128-character blank record.</summary>
    public static string Record(params (int Position, string Value)[] fields)
    {
        var record = new StringBuilder(new string(' ', 128));
        foreach (var (position, value) in fields)
        {
            for (var i = 0; i < value.Length; i++)
            {
                record[position - 1 + i] = value[i];
            }
        }

        return record.ToString();
    }

    public static string Amount(decimal amount) =>
        ((long)(Math.Abs(amount) * 1000m)).ToString("D15", CultureInfo.InvariantCulture);

    public static string Sign(decimal amount) => amount < 0 ? "1" : "0";

    public SyntheticCoda Header(char versionCode = '\0', string bankId = "725", string bic = "KREDBEBB")
    {
        var code = versionCode == '\0' ? _version.ToString(CultureInfo.InvariantCulture)[0] : versionCode;
        _lines.Add(Record(
            (1, "00000"), (6, "150126"), (12, bankId), (15, "05"), (35, "KOPPEL TEST"),
            (61, _version == 1 ? "00000000000" : bic), (72, "00123456789"), (84, "00000"), (128, code.ToString())));
        _counted = 0;
        _debits = 0;
        _credits = 0;
        return this;
    }

    public SyntheticCoda OldBalance(decimal balance, string account = "539007547034", string holder = "KOPPEL NV")
    {
        _account = account;
        _balance = balance;
        _lines.Add(Record(
            (1, "1"), (2, _version == 1 ? " " : "0"), (3, "012"), (6, account), (19, "EUR0BE"), (43, Sign(balance)),
            (44, Amount(balance)), (59, "140126"), (65, holder), (91, "Zichtrekening"), (126, "012")));
        _counted++;
        return this;
    }

    /// <summary>A movement (2.1) with free or structured (101) communication, optionally with 2.2 and 2.3.</summary>
    public SyntheticCoda Movement(
        int sequence,
        decimal amount,
        string communication = "",
        string? ogm = null,
        int detail = 0,
        int globalisation = 0,
        string? counterpartyName = null,
        string? counterpartyAccount = null,
        string? communicationPart2 = null,
        string? endToEnd = null,
        string valueDate = "150126")
    {
        var hasPart2 = communicationPart2 is not null || endToEnd is not null;
        var hasPart3 = counterpartyName is not null || counterpartyAccount is not null;
        _lines.Add(Record(
            (1, "21"), (3, Seq(sequence)), (7, Seq(detail)), (11, "REF" + Seq(sequence)), (32, Sign(amount)), (33, Amount(amount)),
            (48, valueDate), (54, "00150000"), (62, ogm is null ? "0" : "1"), (63, ogm is null ? communication : "101" + ogm),
            (116, "150126"), (122, "012"), (125, globalisation.ToString(CultureInfo.InvariantCulture)),
            (126, hasPart2 || hasPart3 ? "1" : "0"), (128, "0")));
        _counted++;
        if (detail == 0)
        {
            _balance += amount;
            if (amount < 0)
            {
                _debits -= amount;
            }
            else
            {
                _credits += amount;
            }
        }

        if (hasPart2)
        {
            _lines.Add(Record((1, "22"), (3, Seq(sequence)), (7, Seq(detail)), (11, communicationPart2 ?? string.Empty), (64, endToEnd ?? string.Empty), (126, hasPart3 ? "1" : "0"), (128, "0")));
            _counted++;
        }

        if (hasPart3)
        {
            _lines.Add(Record((1, "23"), (3, Seq(sequence)), (7, Seq(detail)), (11, counterpartyAccount ?? string.Empty), (48, counterpartyName ?? string.Empty), (126, "0"), (128, "0")));
            _counted++;
        }

        return this;
    }

    public SyntheticCoda Information(int sequence, int detail, string text, string? continuation = null)
    {
        _lines.Add(Record((1, "31"), (3, Seq(sequence)), (7, Seq(detail)), (32, "00150000"), (40, "0"), (41, text), (126, continuation is null ? "0" : "1")));
        _counted++;
        if (continuation is not null)
        {
            _lines.Add(Record((1, "32"), (3, Seq(sequence)), (7, Seq(detail)), (11, continuation)));
            _counted++;
        }

        return this;
    }

    public SyntheticCoda NewBalance(decimal? balance = null, string? account = null)
    {
        var value = balance ?? _balance;
        _lines.Add(Record((1, "8"), (2, "012"), (5, account ?? _account), (18, "EUR0BE"), (42, Sign(value)), (43, Amount(value)), (58, "150126")));
        _counted++;
        return this;
    }

    public SyntheticCoda FreeMessage(int sequence, int line, string text)
    {
        _lines.Add(Record((1, "4"), (3, Seq(sequence)), (7, Seq(line)), (33, text)));
        return this;
    }

    public SyntheticCoda Trailer(char multipleFile = '2', int? count = null, decimal? debits = null, decimal? credits = null)
    {
        _lines.Add(Record((1, "9"), (17, (count ?? _counted).ToString("D6", CultureInfo.InvariantCulture)), (23, Amount(debits ?? _debits)), (38, Amount(credits ?? _credits)), (128, multipleFile.ToString())));
        return this;
    }

    /// <summary>A complete, consistent statement with the given movement amounts.</summary>
    public SyntheticCoda Statement(decimal oldBalance, char multipleFile, params decimal[] amounts)
    {
        Header().OldBalance(oldBalance);
        for (var i = 0; i < amounts.Length; i++)
        {
            Movement(i + 1, amounts[i], communication: $"Payment {i + 1}");
        }

        return NewBalance().Trailer(multipleFile);
    }

    public SyntheticCoda Raw(string line)
    {
        _lines.Add(line);
        return this;
    }

    public string Text(string newLine = "\n") => string.Join(newLine, _lines) + newLine;

    public MemoryStream Stream(string newLine = "\n", Encoding? encoding = null) =>
        new((encoding ?? Encoding.ASCII).GetBytes(Text(newLine)));

    private static string Seq(int number) => number.ToString("D4", CultureInfo.InvariantCulture);
}
