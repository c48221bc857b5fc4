using System.Globalization;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// The Swedish organisation number rules of the Peppol BIS 3 artefacts (2025.11): PEPPOL-COMMON-R049 on every
/// identifier with scheme 0007, and SE-R-003/004/013 on the legal entity of a supplier whose address is in Sweden.
/// Values are judged as the artefact does: spaces around them removed (normalize-space), scheme and country as written.
/// </summary>
internal static class PeppolSwedishRules
{
    private const string SwedishOrganisationNumber = "0007";

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

            CheckCommonR049(f, party.Endpoint, path + "/cbc:EndpointID");
            CheckCommonR049(f, party.CompanyId, path + "/cac:PartyLegalEntity/cbc:CompanyID");
            foreach (var id in party.Identifiers)
            {
                CheckCommonR049(f, id, path + "/cac:PartyIdentification/cbc:ID");
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

    private static void CheckCommonR049(RuleFindings f, UblIdentifier? id, string path)
    {
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

    private static bool IsXPathNumber(string value) =>
        value.Length > 0 && double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _);

    private static string NormalizeSpace(string value) => string.Join(' ', value.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
