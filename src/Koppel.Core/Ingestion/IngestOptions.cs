namespace Koppel.Core.Ingestion;

public sealed class IngestOptions
{
    /// <summary>Files larger than this are quarantined unread.</summary>
    public long MaxDocumentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Inbox sub-folders whose PDFs are expense claims (inbox/{dossier}/expense-claims/receipt.pdf).
    /// Other PDFs are "other documents".
    /// </summary>
    public IReadOnlyList<string> ExpenseClaimFolders { get; set; } = ["expense-claims", "expenses"];
}
