using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;

namespace Koppel.Core.Ingestion;

/// <summary>
/// Decides the document kind. An invoice is a sales invoice when the dossier is the supplier, a purchase
/// invoice when it is the customer; a document that names neither is refused rather than booked in the wrong journal.
/// </summary>
public static class DocumentClassifier
{
    public static DocumentKind Classify(DocumentFacts facts, Dossier dossier, string inboxPath, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(dossier);
        ArgumentNullException.ThrowIfNull(options);
        switch (facts.Format)
        {
            case DocumentFormat.Coda:
                return DocumentKind.BankStatement;
            case DocumentFormat.Pdf:
                var folders = inboxPath.Split('/');
                return folders.Length > 2 && options.ExpenseClaimFolders.Contains(folders[^2], StringComparer.OrdinalIgnoreCase)
                    ? DocumentKind.ExpenseClaim
                    : DocumentKind.OtherDocument;
            case DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote:
                if (IsDossier(facts.Supplier, dossier))
                {
                    return DocumentKind.SalesInvoice;
                }

                if (IsDossier(facts.Customer, dossier))
                {
                    return DocumentKind.PurchaseInvoice;
                }

                throw new DocumentRejectedException(
                    "NOT-FOR-DOSSIER",
                    $"Neither the supplier ({Describe(facts.Supplier)}) nor the customer ({Describe(facts.Customer)}) is dossier {dossier.Id} ({dossier.VatNumber}).",
                    "AccountingSupplierParty / AccountingCustomerParty");
            default:
                throw new DocumentRejectedException(QuarantineCodes.UnknownFormat, "The format cannot be routed.");
        }
    }

    private static bool IsDossier(PartyFacts? party, Dossier dossier)
    {
        if (party is null)
        {
            return false;
        }

        var ids = new[] { party.VatNumber, party.CompanyId, party.EndpointId }
            .Where(id => !string.IsNullOrWhiteSpace(id))
            .Select(id => Digits(id!));
        return ids.Any(id => id.Length >= 9 && (id == dossier.EnterpriseNumber || id.PadLeft(10, '0') == dossier.EnterpriseNumber));
    }

    // "BE0123.456.749", "0208:0123456749" and "0123456749" all carry the same ten digits; scheme 0208 prefixes are dropped.
    private static string Digits(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            id = id[(colon + 1)..];
        }

        return new string(id.Where(char.IsAsciiDigit).ToArray());
    }

    private static string Describe(PartyFacts? party) =>
        party is null ? "absent" : $"{party.Name ?? "no name"}, VAT {party.VatNumber ?? "-"}, id {party.CompanyId ?? party.EndpointId ?? "-"}";
}
