namespace Koppel.Formats.Coda;

/// <summary>
/// The Belgian structured communication ("OGM/VCS"): 10 digits followed by a mod-97 check of 2 digits,
/// shown as <c>+++123/4567/89012+++</c>.
/// </summary>
internal static class StructuredReference
{
    public const int Length = 12;

    /// <summary>Renders the 12 characters in the +++ddd/dddd/ddddd+++ layout, even when they are not valid.</summary>
    public static string Render(ReadOnlySpan<char> twelve)
    {
        Span<char> rendered = stackalloc char[20];
        "+++".CopyTo(rendered);
        twelve[..3].CopyTo(rendered[3..]);
        rendered[6] = '/';
        twelve[3..7].CopyTo(rendered[7..]);
        rendered[11] = '/';
        twelve[7..12].CopyTo(rendered[12..]);
        "+++".CopyTo(rendered[17..]);
        return rendered.ToString();
    }

    public static bool HasValidCheckDigits(ReadOnlySpan<char> twelve)
    {
        if (twelve.Length != Length || twelve.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        long number = 0;
        foreach (var digit in twelve[..10])
        {
            number = (number * 10) + (digit - '0');
        }

        var remainder = (int)(number % 97);
        var expected = remainder == 0 ? 97 : remainder;
        return expected == ((twelve[10] - '0') * 10) + (twelve[11] - '0');
    }
}
