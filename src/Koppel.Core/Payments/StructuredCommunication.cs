using System.Globalization;
using System.Text.RegularExpressions;

namespace Koppel.Core.Payments;

/// <summary>
/// The Belgian structured communication (OGM/VCS, <c>+++123/4567/89012+++</c>) reduced to its 12 digits, so an invoice's
/// PaymentID, a CODA movement and a provider's description compare equal however each writes it.
/// </summary>
public static partial class StructuredCommunication
{
    /// <summary>The 12 digits of the first valid structured communication in <paramref name="text"/>, or null.</summary>
    public static string? Digits(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        foreach (Match match in Pattern().Matches(text))
        {
            var digits = match.Groups[1].Value + match.Groups[2].Value + match.Groups[3].Value;
            if (IsValid(digits))
            {
                return digits;
            }
        }

        return null;
    }

    /// <summary>Ten digits and their mod-97 check (97 when the remainder is 0).</summary>
    public static bool IsValid(string digits)
    {
        if (digits.Length != 12 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var remainder = (int)(long.Parse(digits.AsSpan(0, 10), NumberStyles.None, CultureInfo.InvariantCulture) % 97);
        return (remainder == 0 ? 97 : remainder) == int.Parse(digits.AsSpan(10, 2), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    public static string Render(string digits) => $"+++{digits[..3]}/{digits[3..7]}/{digits[7..]}+++";

    // With or without the +++ / *** and the slashes; never inside a longer run of digits.
    [GeneratedRegex(@"(?<!\d)(\d{3})[/ ]?(\d{4})[/ ]?(\d{5})(?!\d)")]
    private static partial Regex Pattern();
}
