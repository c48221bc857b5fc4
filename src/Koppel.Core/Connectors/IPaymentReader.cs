using Koppel.Core.Domain;

namespace Koppel.Core.Connectors;

/// <summary>
/// A connector that can tell which sales invoices are still open at the provider (capability
/// <see cref="ConnectorCapabilities.ReadPayments"/>). It reads the open items of the connection's administration in as
/// few calls as the provider allows (Yuki: one outstanding-items call; Exact: the receivables list, paged); Koppel
/// does the matching and recording.
/// </summary>
public interface IPaymentReader
{
    Task<ReceivablesReadResult> ReadReceivablesAsync(PaymentReadContext context, CancellationToken cancellationToken);
}

/// <summary>What a payment reader needs: the connection and its settings, and the invoices Koppel wants news of.</summary>
public sealed record PaymentReadContext(Dossier Dossier, Connection Connection, ConnectorSettings Settings, IReadOnlyList<InvoiceToCheck> Invoices);

/// <summary>A sales invoice Koppel delivered to the connection and follows.</summary>
public sealed record InvoiceToCheck(string DocumentId, string? Number, string? ProviderReference, string? StructuredReference, decimal Amount);

/// <summary>
/// One open item at the provider. <see cref="References"/> are the provider's own ids for it (Yuki item id, Exact entry
/// number and entry id): a delivery reference that names one of them is this item.
/// </summary>
public sealed record ProviderReceivable
{
    public IReadOnlyList<string> References { get; init; } = [];

    public string? InvoiceNumber { get; init; }

    /// <summary>Free text of the item (description, your reference): a structured communication in it is matched too.</summary>
    public string? Description { get; init; }

    public decimal OpenAmount { get; init; }

    public decimal? OriginalAmount { get; init; }

    public string? Currency { get; init; }

    /// <summary>When the provider says when the last payment came in.</summary>
    public DateOnly? LastPaymentDate { get; init; }
}

/// <summary>
/// The provider's open items of the connection's administration, or why they could not be read (the failure kinds of
/// <see cref="DeliveryResult"/>: transient, permanent, connection broken, deferred for a used-up quota).
/// </summary>
public sealed record ReceivablesReadResult
{
    public IReadOnlyList<ProviderReceivable> OpenItems { get; init; } = [];

    /// <summary>
    /// True when <see cref="OpenItems"/> is every open sales item of the administration, so an invoice the provider listed
    /// as open before and no longer lists is settled.
    /// </summary>
    public bool Complete { get; init; }

    /// <summary>Calls the read cost, for the run log and the bench.</summary>
    public int Calls { get; init; }

    public DeliveryResult? Failure { get; init; }

    public static ReceivablesReadResult Failed(DeliveryResult failure) => new() { Failure = failure };
}
