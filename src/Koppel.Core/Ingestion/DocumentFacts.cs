using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;

namespace Koppel.Core.Ingestion;

/// <summary>What Koppel learned from reading a file: enough to classify, route and show it.</summary>
public sealed record DocumentFacts
{
    public required DocumentFormat Format { get; init; }

    public string? Number { get; init; }

    public DateOnly? IssueDate { get; init; }

    public string? Currency { get; init; }

    public decimal? PayableAmount { get; init; }

    /// <summary>The payment reference the invoice asks for (UBL PaymentMeans/PaymentID), e.g. a structured communication.</summary>
    public string? PaymentReference { get; init; }

    /// <summary>The invoice numbers a credit note credits (UBL BillingReference).</summary>
    public IReadOnlyList<string> BillingReferences { get; init; } = [];

    public PartyFacts? Supplier { get; init; }

    public PartyFacts? Customer { get; init; }

    public IReadOnlyList<ArchivedAttachment> Attachments { get; init; } = [];

    /// <summary>Fatal validation findings; a document with any is quarantined.</summary>
    public IReadOnlyList<string> FatalFindings { get; init; } = [];
}

/// <summary>A party of an invoice, with the identifiers Koppel can match a dossier on.</summary>
public sealed record PartyFacts(string? Name, string? VatNumber, string? CompanyId, string? EndpointId);

/// <summary>The file cannot be accepted; the code and message go into the quarantine reason.</summary>
public sealed class DocumentRejectedException(string code, string message, string? location = null) : Exception(message)
{
    public string Code { get; } = code;

    public string? Location { get; } = location;
}
