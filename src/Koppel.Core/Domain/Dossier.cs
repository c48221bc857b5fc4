namespace Koppel.Core.Domain;

/// <summary>A client company whose documents Koppel handles. Its id is its enterprise number.</summary>
public sealed record Dossier
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string EnterpriseNumber { get; init; }

    /// <summary>The VAT number, e.g. BE0123456749; documents are classified sales or purchase by comparing with it.</summary>
    public string? VatNumber { get; init; }

    public string? ContactEmail { get; init; }

    /// <summary>IANA time zone; dates a user sees and schedules run in it.</summary>
    public string TimeZone { get; init; } = "Europe/Brussels";

    /// <summary>
    /// Cron (5 fields) of this dossier's payment polls in its time zone; null uses the global <c>Koppel:Payments:Schedule</c>
    /// (07:00 and 14:00 by default).
    /// </summary>
    public string? PaymentSchedule { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
