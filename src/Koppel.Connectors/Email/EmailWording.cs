using Koppel.Core.Domain;

namespace Koppel.Connectors.Email;

/// <summary>How document kinds read in a subject line or a sentence.</summary>
internal static class EmailWording
{
    public static string KindName(DocumentKind kind) => kind switch
    {
        DocumentKind.SalesInvoice => "sales invoice",
        DocumentKind.PurchaseInvoice => "purchase invoice",
        DocumentKind.BankStatement => "bank statement",
        DocumentKind.ExpenseClaim => "expense claim",
        _ => "document",
    };

    public static string Capitalized(DocumentKind kind)
    {
        var name = KindName(kind);
        return char.ToUpperInvariant(name[0]) + name[1..];
    }
}
