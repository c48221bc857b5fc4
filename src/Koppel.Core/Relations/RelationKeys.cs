using System.Globalization;
using System.Text;

namespace Koppel.Core.Relations;

/// <summary>
/// The one normalisation of the keys a party is found by, used when storing, searching and matching alike, so
/// "BE 0403.170.701", "be0403170701" and "0403170701" are one VAT number and "Bakkerij  Janssens bv" and
/// "BAKKERIJ JANSSENS BV" one name.
/// </summary>
public static class RelationKeys
{
    /// <summary>
    /// Country prefix + number, upper case, without spaces, dots or dashes. A bare Belgian number (ten digits starting
    /// with 0 or 1, or nine digits of an old number) gets "BE" (and the leading 0). Null when nothing is left.
    /// </summary>
    public static string? Vat(string? text)
    {
        var cleaned = Clean(text);
        if (cleaned is null)
        {
            return null;
        }

        if (cleaned.All(char.IsAsciiDigit))
        {
            return Enterprise(cleaned) is { } belgian ? "BE" + belgian : null;
        }

        if (cleaned.Length > 2 && char.IsAsciiLetter(cleaned[0]) && char.IsAsciiLetter(cleaned[1]))
        {
            var country = cleaned[..2];
            var number = cleaned[2..];
            if (country == "BE" && number.All(char.IsAsciiDigit))
            {
                return Enterprise(number) is { } belgian ? "BE" + belgian : null;
            }

            return country + number;
        }

        return null;
    }

    /// <summary>
    /// A Belgian enterprise number as ten digits ("BE0403.170.701", "0403 170 701" and "403170701" are all
    /// "0403170701"). Null for anything else (no mod-97 check here: the provider's data is taken as it is).
    /// </summary>
    public static string? Enterprise(string? text)
    {
        var cleaned = Clean(text);
        if (cleaned is null)
        {
            return null;
        }

        if (cleaned.StartsWith("BE", StringComparison.Ordinal))
        {
            cleaned = cleaned[2..];
        }

        if (!cleaned.All(char.IsAsciiDigit))
        {
            return null;
        }

        if (cleaned.Length == 9)
        {
            cleaned = "0" + cleaned;
        }

        return cleaned.Length == 10 && cleaned[0] is '0' or '1' ? cleaned : null;
    }

    /// <summary>The enterprise number a Belgian VAT number stands for (a Belgian VAT number is "BE" + the enterprise number).</summary>
    public static string? EnterpriseFromVat(string? normalisedVat) =>
        normalisedVat is { Length: 12 } vat && vat.StartsWith("BE", StringComparison.Ordinal) ? vat[2..] : null;

    /// <summary>An IBAN (or other account number) upper case without spaces; null when it has no letters or digits.</summary>
    public static string? Iban(string? text) => Clean(text);

    /// <summary>
    /// A name for exact matching: letters and digits only (accents dropped), upper case, words separated by one space.
    /// "Bakkerij Janssens B.V." is "BAKKERIJ JANSSENS BV".
    /// </summary>
    public static string? Name(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark || c is '.' or '\'' or '’')
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(char.ToUpperInvariant(c));
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return builder.Length == 0 ? null : builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>The normalised value of <paramref name="key"/> in <paramref name="text"/>.</summary>
    public static string? Normalise(PartyKey key, string? text) => key switch
    {
        PartyKey.VatNumber => Vat(text),
        PartyKey.EnterpriseNumber => Enterprise(text),
        PartyKey.Iban => Iban(text),
        _ => Name(text),
    };

    /// <summary>Every key a party is found by, normalised (the lookup rows of the store).</summary>
    public static IEnumerable<(PartyKey Key, string Value)> Of(Party party)
    {
        ArgumentNullException.ThrowIfNull(party);
        if (party.VatNumber is { } vat)
        {
            yield return (PartyKey.VatNumber, vat);
        }

        if (party.EnterpriseNumber is { } enterprise)
        {
            yield return (PartyKey.EnterpriseNumber, enterprise);
        }

        foreach (var iban in party.Ibans)
        {
            yield return (PartyKey.Iban, iban);
        }

        if (Name(party.Name) is { } name)
        {
            yield return (PartyKey.Name, name);
        }
    }

    /// <summary>How the history names a key.</summary>
    public static string Describe(this PartyKey key) => key switch
    {
        PartyKey.VatNumber => "VAT number",
        PartyKey.EnterpriseNumber => "enterprise number",
        PartyKey.Iban => "IBAN",
        _ => "name",
    };

    private static string? Clean(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var cleaned = new string(text.Where(char.IsAsciiLetterOrDigit).ToArray()).ToUpperInvariant();
        return cleaned.Length == 0 ? null : cleaned;
    }
}
