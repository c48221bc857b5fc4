using System.Globalization;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// Identifier rules of the Peppol BIS 3 artefacts (2025.11): PEPPOL-EN16931-CL008 (endpoint scheme in the EAS list), PEPPOL-COMMON-R040 (GLN, scheme 0088),
/// R041 (Norwegian organisation number, 0192), R042 (Danish CVR, 0184), R049 (Swedish organisation number, 0007) and
/// R050 (Australian ABN, 0151) on every party identifier, and SE-R-003/004/013 on
/// the legal entity of a supplier whose address is in Sweden.
/// Values are judged as the artefact does: spaces around them removed (normalize-space), scheme and country as written.
/// </summary>
internal static class PeppolIdentifierRules
{
    private const string SwedishOrganisationNumber = "0007";
    private const string GlobalLocationNumber = "0088";

    public static void Check(RuleFindings f)
    {
        var d = f.Document;
        var parties = new (UblParty? Party, string Path)[]
        {
            (d.Supplier, "cac:AccountingSupplierParty/cac:Party"),
            (d.Customer, "cac:AccountingCustomerParty/cac:Party"),
            (d.Payee, "cac:PayeeParty"),
            (d.TaxRepresentative, "cac:TaxRepresentativeParty"),
        };
        foreach (var (party, path) in parties)
        {
            if (party is null)
            {
                continue;
            }

            CheckIdentifier(f, party.Endpoint, path + "/cbc:EndpointID");
            if (party.Endpoint?.SchemeId is { } eas)
            {
                f.Check(PeppolCodeLists.Eaid.Contains(eas), "PEPPOL-EN16931-CL008", $"Electronic address scheme '{eas}' is not in the EAS code list.", f.Path(path + "/cbc:EndpointID/@schemeID"));
            }

            CheckIdentifier(f, party.CompanyId, path + "/cac:PartyLegalEntity/cbc:CompanyID");
            foreach (var id in party.Identifiers)
            {
                CheckIdentifier(f, id, path + "/cac:PartyIdentification/cbc:ID");
            }
        }

        if (d.Supplier is { CompanyId: { } companyId } supplier && supplier.CountryCode == "SE")
        {
            var at = f.Path("cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID");
            var value = NormalizeSpace(companyId.Value);
            f.Check(IsXPathNumber(value), "SE-R-003", "Swedish organisation number MUST be stated in the correct format.", at);
            f.Check(value.Length == 10, "SE-R-004", "Swedish organisation numbers consist of 10 characters.", at);
            f.Check(IsValidOrganisationNumber(value), "SE-R-013", "The last digit of a Swedish organisation number must be valid according to the Luhn algorithm.", at);
        }
    }

    private static void CheckIdentifier(RuleFindings f, UblIdentifier? id, string path)
    {
        if (id?.SchemeId == GlobalLocationNumber)
        {
            var gln = NormalizeSpace(id.Value);
            f.Check(gln.Length > 0 && gln.All(char.IsAsciiDigit) && IsValidGln(gln), "PEPPOL-COMMON-R040", $"GLN '{gln}' (scheme 0088) must have a valid format according to GS1 rules.", f.Path(path));
        }

        switch (id?.SchemeId)
        {
            case "0192":
                var organisation = NormalizeSpace(id.Value);
                f.Check(organisation.Length == 9 && organisation.All(char.IsAsciiDigit) && IsValidMod11(organisation), "PEPPOL-COMMON-R041", $"Norwegian organisation number '{organisation}' (scheme 0192) MUST be stated in the correct format.", f.Path(path));
                break;
            case "0184":
                // As written (the artefact uses string(), not normalize-space): DK + 8 digits, or 8 digits.
                var cvr = id.Value;
                var holds = (cvr.Length == 10 && cvr.StartsWith("DK", StringComparison.Ordinal) && cvr[2..].All(char.IsAsciiDigit))
                    || (cvr.Length == 8 && cvr.All(char.IsAsciiDigit));
                f.Check(holds, "PEPPOL-COMMON-R042", $"Danish organisation number '{cvr}' (scheme 0184) MUST be stated in the correct format.", f.Path(path));
                break;
            case "0151":
                var abn = NormalizeSpace(id.Value);
                f.Check(abn.Length == 11 && abn.All(char.IsAsciiDigit) && IsValidAbn(abn), "PEPPOL-COMMON-R050", $"Australian Business Number '{abn}' (scheme 0151) MUST be a valid ABN.", f.Path(path));
                break;
        }

        if (id?.SchemeId != SwedishOrganisationNumber)
        {
            return;
        }

        var value = NormalizeSpace(id.Value);
        f.Check(
            value.Length == 10 && IsValidOrganisationNumber(value),
            "PEPPOL-COMMON-R049",
            $"Swedish organisation number '{value}' (scheme 0007) MUST be stated in the correct format.",
            f.Path(path));
    }

    /// <summary>
    /// The artefact's u:checkSEOrgnr: digits only; the 10th character is the Luhn check digit of the first nine
    /// (a shorter value has no check digit and fails; characters after the 10th are not looked at).
    /// </summary>
    internal static bool IsValidOrganisationNumber(string number)
    {
        if (number.Length < 10 || !number.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var pos = 1; pos <= 9; pos++)
        {
            var digit = number[9 - pos] - '0';
            sum += pos % 2 == 1 ? (digit * 2 % 10) + (digit * 2 / 10) : digit;
        }

        return (10 - (sum % 10)) % 10 == number[9] - '0';
    }

    /// <summary>The artefact's u:mod11 on nine digits: weights 2..7 from the right over the first eight; a zero number fails.</summary>
    internal static bool IsValidMod11(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length - 1; i++)
        {
            sum += (digits[digits.Length - 2 - i] - '0') * ((i % 6) + 2);
        }

        return digits.Any(c => c != '0') && (11 - (sum % 11)) % 11 == digits[^1] - '0';
    }

    /// <summary>The artefact's u:abn: (first digit - 1) × 10, then weights 1, 3, 5 … 19; the sum is a multiple of 89.</summary>
    internal static bool IsValidAbn(string digits)
    {
        var sum = (digits[0] - '0' - 1) * 10;
        for (var i = 1; i < 11; i++)
        {
            sum += (digits[i] - '0') * ((2 * i) - 1);
        }

        return sum % 89 == 0;
    }

    /// <summary>The artefact's u:gln: weights 3, 1, 3, … from the right over all digits but the last, which is the check digit.</summary>
    internal static bool IsValidGln(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length - 1; i++)
        {
            sum += (digits[digits.Length - 2 - i] - '0') * (i % 2 == 0 ? 3 : 1);
        }

        return (10 - (sum % 10)) % 10 == digits[^1] - '0';
    }

    private static bool IsXPathNumber(string value) =>
        value.Length > 0 && double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _);

    private static string NormalizeSpace(string value) => string.Join(' ', value.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
