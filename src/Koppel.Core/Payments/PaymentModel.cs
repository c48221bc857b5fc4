using System.Security.Cryptography;
using System.Text;
using Koppel.Core.Ports;

namespace Koppel.Core.Payments;

/// <summary>Where a sales invoice stands, as Koppel last learned it.</summary>
public enum InvoicePaymentStatus
{
    Open,

    /// <summary>Part of the amount is settled; <see cref="TrackedInvoice.OpenAmount"/> says how much is left.</summary>
    PartlyPaid,

    Paid,

    /// <summary>Settled (wholly) by a credit note rather than a payment.</summary>
    CreditNoted,
}

/// <summary>What settled (part of) an invoice.</summary>
public enum SettlementKind
{
    Payment,
    CreditNote,
}

public enum PaymentRecordStatus
{
    /// <summary>Seen on the dossier's bank statement; the next poll of the accounting package confirms or corrects it.</summary>
    Provisional,

    Confirmed,

    /// <summary>The accounting package disagreed with what the bank statement seemed to show; kept for the record only.</summary>
    Corrected,
}

/// <summary>
/// A sales invoice (or sales credit note) of a dossier whose payment Koppel follows: the facts the matching needs, read
/// once from the document when it arrived, and where it stands. One row per document.
/// </summary>
public sealed record TrackedInvoice
{
    public required string DossierId { get; init; }

    public required string DocumentId { get; init; }

    public string? Number { get; init; }

    public DateOnly? IssueDate { get; init; }

    public string Currency { get; init; } = "EUR";

    /// <summary>The amount payable (always positive, a credit note's too).</summary>
    public decimal Amount { get; init; }

    /// <summary>The structured communication as its 12 digits (no +++ and slashes), when the invoice has one.</summary>
    public string? StructuredReference { get; init; }

    public bool IsCreditNote { get; init; }

    /// <summary>For a credit note: the numbers of the invoices it credits (UBL BillingReference).</summary>
    public IReadOnlyList<string> CreditedInvoiceNumbers { get; init; } = [];

    public InvoicePaymentStatus Status { get; init; } = InvoicePaymentStatus.Open;

    /// <summary>Settled so far (payments and credit notes, provisional ones included).</summary>
    public decimal SettledAmount { get; init; }

    public decimal OpenAmount => Math.Max(0m, Amount - SettledAmount);

    /// <summary>
    /// Connections whose accounting package listed the invoice as open at least once. Only for these does "no longer
    /// listed" mean "settled": an invoice a package never listed may simply not be booked there (yet).
    /// </summary>
    public IReadOnlyList<string> SeenOpenBy { get; init; } = [];

    /// <summary>Nothing left to follow: settled in full and confirmed. Credit notes are never closed (they settle invoices).</summary>
    public bool Closed { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string? ETag { get; init; }
}

/// <summary>One payment (or credit note) recorded against a sales invoice.</summary>
public sealed record PaymentRecord
{
    public required string DossierId { get; init; }

    public required string DocumentId { get; init; }

    /// <summary>Deterministic: the same payment seen by two overlapping polls (or two hosts) is one record.</summary>
    public required string PaymentId { get; init; }

    public required SettlementKind Kind { get; init; }

    public required decimal Amount { get; init; }

    public string Currency { get; init; } = "EUR";

    /// <summary>The day the money came in (or the credit note settled it), in the dossier's calendar.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>Who saw it first: a provider key ("yuki", "exact-online") or <see cref="PaymentSources.Bank"/>.</summary>
    public required string Source { get; init; }

    /// <summary>What the user reads as the source: "Yuki", "bank statement BE68… 042, movement 1".</summary>
    public required string SourceName { get; init; }

    /// <summary>The connection that reported it (polls), or the CODA document (bank).</summary>
    public string? SourceReference { get; init; }

    public PaymentRecordStatus Status { get; init; } = PaymentRecordStatus.Confirmed;

    /// <summary>The provider that confirmed (or corrected) a provisional record.</summary>
    public string? ConfirmedBy { get; init; }

    public DateTimeOffset RecordedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public string? ETag { get; init; }
}

/// <summary>Sources of payments other than providers.</summary>
public static class PaymentSources
{
    public const string Bank = "bank";
}

/// <summary>Deterministic payment ids.</summary>
public static class PaymentIds
{
    /// <summary>
    /// The settlement that brought an invoice's settled total to <paramref name="settledTotalAfter"/>: two polls that see the
    /// same state at the provider compute the same id, whichever connection or host runs them.
    /// </summary>
    public static string ForSettlement(string documentId, SettlementKind kind, decimal settledTotalAfter) =>
        Hash($"{documentId}|{kind}|{settledTotalAfter.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>A bank movement paying an invoice: the statement document and the movement's sequence number.</summary>
    public static string ForBankMovement(string documentId, string statementDocumentId, int movementSequence) =>
        Hash($"{documentId}|bank|{statementDocumentId}|{movementSequence.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

    private static string Hash(string key) => "p" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 15));
}

/// <summary>The queued work of one payment poll: one connection of one dossier, for one scheduled slot.</summary>
public sealed record PollJob
{
    public required string DossierId { get; init; }

    public required string ConnectionId { get; init; }

    /// <summary>The slot this poll is for (<see cref="PollSlot.Key"/>), or "manual".</summary>
    public required string Slot { get; init; }

    public DateTimeOffset EnqueuedAt { get; init; }
}

/// <summary>Where poll jobs wait: a storage queue (<c>{prefix}polls</c>) read by the server's pump or the Functions queue trigger.</summary>
public interface IPollJobQueue
{
    Task EnqueueAsync(PollJob job, CancellationToken cancellationToken);
}

/// <summary>The poll jobs of this process, kept in order: for tests and a host without storage (the storage queue replaces it).</summary>
public sealed class InMemoryPollJobQueue : InMemoryJobQueue<PollJob>, IPollJobQueue;

/// <summary>
/// Marks a dossier's scheduled slot as taken, once for every host and every timer firing: a row keyed by dossier and slot.
/// A claim whose fan-out did not finish (a crash between claiming and queuing) can be taken over after a while.
/// </summary>
public interface IPollSlotClaims
{
    /// <summary>True when the caller now owns the slot and must queue its polls; false when another firing has it (or finished it).</summary>
    Task<bool> TryClaimAsync(string dossierId, string slotKey, DateTimeOffset now, TimeSpan takeOverAfter, CancellationToken cancellationToken);

    /// <summary>The slot's polls are queued: nobody takes it over any more.</summary>
    Task MarkQueuedAsync(string dossierId, string slotKey, CancellationToken cancellationToken);
}
