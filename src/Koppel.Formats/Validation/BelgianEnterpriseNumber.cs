namespace Koppel.Formats.Validation;

/// <summary>
/// The Belgian enterprise number (KBO/BCE, Peppol scheme 0208): ten digits, the last two being
/// 97 minus the first eight modulo 97.
/// </summary>
public static class BelgianEnterpriseNumber
{
    public static bool IsValid(string? value)
    {
        var number = value?.Trim();
        if (number is null || number.Length != 10 || !number.All(char.IsAsciiDigit))
        {
            return false;
        }

        var body = long.Parse(number.AsSpan(0, 8), System.Globalization.CultureInfo.InvariantCulture);
        var check = int.Parse(number.AsSpan(8, 2), System.Globalization.CultureInfo.InvariantCulture);
        return check == 97 - (body % 97);
    }
}
