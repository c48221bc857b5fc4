namespace Koppel.Core.Domain;

public enum RunCategory
{
    Ingest,
    Delivery,
    Export,
    PaymentPoll,
    Sync,
    Maintenance,

    /// <summary>Asking file targets and providers what became of documents delivered earlier.</summary>
    ReadBack,
    /// <summary>Customers, suppliers, ledger accounts and VAT codes read from a connection's accounting package.</summary>
    RelationSync,
}

/// <summary>The categories as the run log shows them to users.</summary>
public static class RunCategories
{
    public static string Describe(this RunCategory category) => category switch
    {
        RunCategory.Ingest => "receive documents",
        RunCategory.Delivery => "deliver documents",
        RunCategory.Export => "export documents",
        RunCategory.PaymentPoll => "process payments",
        RunCategory.Sync => "synchronise",
        RunCategory.Maintenance => "maintenance",
        RunCategory.ReadBack => "read back",
        RunCategory.RelationSync => "sync relations",
        _ => category.ToString(),
    };
}

public enum RunStatus
{
    Running,
    Succeeded,
    PartiallySucceeded,
    Failed,

    /// <summary>An export whose deliveries are still being queued by its job; its counts grow as the job pages on.</summary>
    Queued,
}

/// <summary>One line of the run log, as accounting users know it from their software.</summary>
public sealed record RunLogEntry
{
    public required string DossierId { get; init; }

    public required string RunId { get; init; }

    public required RunCategory Category { get; init; }

    public string? Provider { get; init; }

    public string? ConnectionId { get; init; }

    public RunStatus Status { get; init; } = RunStatus.Running;

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public string? ResultText { get; init; }

    public int TotalDocuments { get; init; }

    public int SucceededDocuments { get; init; }

    public int FailedDocuments { get; init; }

    public int SkippedDocuments { get; init; }

    /// <summary>Documents an export skipped when it started (already delivered); the rest of the counts come from the ledger.</summary>
    public int SkippedAtStart { get; init; }

    /// <summary>Who started it: "system", or the API caller's name.</summary>
    public string StartedBy { get; init; } = "system";

    /// <summary>While <see cref="RunStatus.Queued"/>: where the export job goes on (the next page of documents).</summary>
    public string? JobCursor { get; init; }

    public string? ETag { get; init; }
}
