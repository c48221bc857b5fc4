using System.Text.RegularExpressions;
using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>
/// The Peppol BIS 3 (2025.11) document type code rules of the billing profile 01: PEPPOL-EN16931-P0100 (invoice type
/// codes), P0101 (credit note type codes) and P0112 (326 partial and 384 corrective invoices only between German
/// parties). The profile is read as the artefact reads it: the 7th ':'-separated part of the ProfileID when it holds
/// the Peppol billing pattern, otherwise "Unknown" (and the code lists are not applied).
/// </summary>
internal static partial class PeppolTypeCodeRules
{
    private static readonly HashSet<string> InvoiceCodes =
        ["71", "80", "82", "84", "102", "218", "219", "326", "331", "380", "382", "383", "384", "386", "388", "393", "395", "553", "575", "623", "780", "817", "870", "875", "876", "877"];

    private static readonly HashSet<string> CreditNoteCodes = ["381", "396", "81", "83", "532"];

    public static void Check(RuleFindings f)
    {
        var d = f.Document;
        var code = d.TypeCode ?? "";
        if (d.Kind == UblDocumentKind.Invoice)
        {
            var at = f.Path("cbc:InvoiceTypeCode");
            if (d.TypeCode is not null)
            {
                f.Check(Profile(d.ProfileId) != "01" || InvoiceCodes.Contains(code), "PEPPOL-EN16931-P0100", $"Invoice type code '{code}' is not allowed in the Peppol billing profile.", at);
                var german = IsGerman(d.Supplier) && IsGerman(d.Customer);
                f.Check(code is not ("326" or "384") || german, "PEPPOL-EN16931-P0112", "Invoice type codes 326 and 384 are only allowed when both buyer and seller are German.", at);
            }
        }
        else if (d.TypeCode is not null)
        {
            f.Check(Profile(d.ProfileId) != "01" || CreditNoteCodes.Contains(code), "PEPPOL-EN16931-P0101", $"Credit note type code '{code}' is not allowed in the Peppol billing profile.", f.Path("cbc:CreditNoteTypeCode"));
        }
    }

    private static bool IsGerman(UblParty? party) => string.Equals(party?.CountryCode?.Trim(), "DE", StringComparison.OrdinalIgnoreCase);

    private static string Profile(string? profileId)
    {
        if (profileId is null)
        {
            return "Unknown";
        }

        var normalized = string.Join(' ', profileId.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        if (!BillingProfile().IsMatch(normalized))
        {
            return "Unknown";
        }

        var parts = normalized.Split(':');
        return parts.Length > 6 ? parts[6] : "";
    }

    // Unanchored, as in the artefact; '.' matches any character there too.
    [GeneratedRegex("urn:fdc:peppol.eu:2017:poacc:billing:([0-9]{2}):1.0")]
    private static partial Regex BillingProfile();
}
