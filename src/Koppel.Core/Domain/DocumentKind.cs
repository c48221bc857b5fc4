namespace Koppel.Core.Domain;

/// <summary>The kinds of document a connection can ask for. Accounting packages book each kind in another journal.</summary>
public enum DocumentKind
{
    SalesInvoice,
    PurchaseInvoice,
    BankStatement,
    OtherDocument,
    ExpenseClaim,
}
