namespace Koppel.Core.Ingestion;

public sealed class IngestOptions
{
    /// <summary>Files larger than this are quarantined unread.</summary>
    public long MaxDocumentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Quarantine UBL documents that break a fatal rule of the layers their profile calls for (EN 16931, and
    /// Peppol BIS 3 or UBL.BE). Accounting packages refuse such documents anyway; it is better to say why up front.
    /// </summary>
    public bool RejectInvalidDocuments { get; set; } = true;

    /// <summary>
    /// Inbox sub-folders whose PDFs are expense claims (inbox/{dossier}/expense-claims/receipt.pdf).
    /// Other PDFs are "other documents".
    /// </summary>
    public IReadOnlyList<string> ExpenseClaimFolders { get; set; } = ["expense-claims", "expenses"];
}
