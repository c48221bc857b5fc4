using System.Diagnostics.CodeAnalysis;

namespace Koppel.Core.Domain;

/// <summary>
/// A Belgian enterprise number (KBO/BCE): ten digits, the last two a mod-97 check of the first eight.
/// Written canonically as ten digits without dots; "BE0123.456.749", "0123 456 749" and "123456749" all parse.
/// </summary>
public readonly record struct EnterpriseNumber
{
    private EnterpriseNumber(string digits) => Value = digits;

    public string Value { get; }

    /// <summary>The VAT number that belongs to this enterprise number.</summary>
    public string VatNumber => "BE" + Value;

    public static bool TryParse(string? text, [NotNullWhen(true)] out EnterpriseNumber? number, out string? problem)
    {
        number = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            problem = "An enterprise number is required.";
            return false;
        }

        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        var rest = new string(text.Where(c => !char.IsAsciiDigit(c) && c is not ('.' or ' ' or '-')).ToArray());
        if (rest.Length > 0 && !rest.Equals("BE", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"'{text}' is not a Belgian enterprise number: only digits, dots, spaces and a BE prefix are allowed.";
            return false;
        }

        if (digits.Length == 9)
        {
            digits = "0" + digits; // numbers issued before 2005 are often written without the leading zero
        }

        if (digits.Length != 10)
        {
            problem = $"'{text}' has {digits.Length} digits; a Belgian enterprise number has 10.";
            return false;
        }

        if (digits[0] is not ('0' or '1'))
        {
            problem = $"'{text}' must start with 0 or 1.";
            return false;
        }

        var body = long.Parse(digits.AsSpan(0, 8), System.Globalization.CultureInfo.InvariantCulture);
        var check = int.Parse(digits.AsSpan(8, 2), System.Globalization.CultureInfo.InvariantCulture);
        if (97 - (body % 97) != check)
        {
            problem = $"'{text}' fails the mod-97 check: the last two digits should be {97 - (body % 97):00}.";
            return false;
        }

        problem = null;
        number = new EnterpriseNumber(digits);
        return true;
    }

    public static EnterpriseNumber Parse(string text) =>
        TryParse(text, out var number, out var problem) ? number.Value : throw new FormatException(problem);

    public override string ToString() => Value;
}
