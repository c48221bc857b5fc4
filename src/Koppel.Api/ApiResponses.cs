using Koppel.Core.Domain;

namespace Koppel.Api;

/// <summary>What the API shows of a connection: never the credentials, only whether there are any.</summary>
public sealed record ConnectionResponse(
    string Id,
    string DossierId,
    string Provider,
    string? DisplayName,
    IReadOnlyList<DocumentKind> DocumentKinds,
    IReadOnlyDictionary<string, string> Options,
    bool HasCredentials,
    bool Enabled,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    HealthResponse Health)
{
    public static ConnectionResponse From(Connection c) => new(
        c.Id, c.DossierId, c.Provider, c.DisplayName, c.DocumentKinds.Order().ToList(), c.Options, c.SecretName is not null, c.Enabled, c.CreatedAt, c.UpdatedAt,
        new HealthResponse(c.Health.Status, c.Health.Reason, c.Health.Status == ConnectionHealthStatus.Unknown ? null : c.Health.Since, c.Health.Warning, c.Health.WarnedAt));

    /// <summary>The connection test run on save (<c>?test=true</c>); absent otherwise.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Core.Connectors.ConnectionTestResult? Test { get; init; }

    public static ConnectionResponse From(Core.Dossiers.SavedConnection saved) =>
        From((saved ?? throw new ArgumentNullException(nameof(saved))).Connection) with { Test = saved.Test };
}

/// <summary>How a connection is doing: its state, why (in the user's words), and since when.</summary>
/// <summary>A connection's state; <c>warning</c> is a heads-up while it still works (e.g. a daily quota nearly used).</summary>
public sealed record HealthResponse(ConnectionHealthStatus Status, string? Reason, DateTimeOffset? Since, string? Warning = null, DateTimeOffset? WarnedAt = null);

/// <summary>Body of a discard: why the delivery need not be made (optional, at most 500 characters), kept in the history.</summary>
public sealed record DiscardInput(string? Reason);

/// <summary>What the API shows of a ledger line; the optimistic-concurrency token stays inside.</summary>
public sealed record DeliveryResponse(
    string DeliveryId,
    string DocumentId,
    string ConnectionId,
    string Provider,
    DeliveryStatus Status,
    int Attempts,
    string? ProviderReference,
    string? LastError,
    string? RunId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static DeliveryResponse From(DeliveryEntry e) => new(
        e.DeliveryId, e.DocumentId, e.ConnectionId, e.Provider, e.Status, e.Attempts, e.ProviderReference, e.LastError, e.RunId, e.CreatedAt, e.UpdatedAt);
}

public sealed record RunResponse(
    string RunId,
    string DossierId,
    RunCategory Category,
    string CategoryName,
    string? Provider,
    string? ConnectionId,
    RunStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    string? ResultText,
    int TotalDocuments,
    int SucceededDocuments,
    int FailedDocuments,
    int SkippedDocuments,
    string StartedBy)
{
    public static RunResponse From(RunLogEntry r) => new(
        r.RunId, r.DossierId, r.Category, r.Category.Describe(), r.Provider, r.ConnectionId, r.Status, r.StartedAt, r.EndedAt, r.ResultText,
        r.TotalDocuments, r.SucceededDocuments, r.FailedDocuments, r.SkippedDocuments, r.StartedBy);
}

public sealed record DocumentResponse(DocumentRecord Document, IReadOnlyList<DeliveryResponse> Deliveries);

public sealed record IngestResponse(string Outcome, string? DocumentId, DocumentKind? Kind, int DeliveriesQueued, QuarantineReason? Quarantine);

/// <summary>A payment (or credit note) recorded against a sales invoice, and who saw it first.</summary>
public sealed record PaymentResponse(
    string PaymentId,
    string DocumentId,
    Core.Payments.SettlementKind Kind,
    decimal Amount,
    string Currency,
    DateOnly Date,
    string Source,
    string SourceName,
    Core.Payments.PaymentRecordStatus Status,
    string? ConfirmedBy,
    DateTimeOffset RecordedAt)
{
    public static PaymentResponse From(Core.Payments.PaymentRecord p) => new(
        p.PaymentId, p.DocumentId, p.Kind, p.Amount, p.Currency, p.Date, p.Source, p.SourceName, p.Status, p.ConfirmedBy, p.RecordedAt);
}

/// <summary>The answer to "poll now": how many connections will be asked; each poll writes its own run-log line.</summary>
public sealed record PaymentPollRequested(string DossierId, int PollsQueued);

/// <summary>The body of an administration import: the administrations to create or link dossiers for.</summary>
public sealed record AdministrationImportRequest(IReadOnlyList<Koppel.Core.Dossiers.AdministrationChoice>? Administrations);
/// <summary>A customer or supplier synced from a connection's accounting package.</summary>
public sealed record PartyResponse(
    string ConnectionId,
    string ProviderId,
    string? Code,
    string Name,
    Core.Relations.PartyKind Kind,
    string? VatNumber,
    string? EnterpriseNumber,
    IReadOnlyList<string> Ibans,
    string? Email,
    bool Active,
    DateTimeOffset? ModifiedAt,
    DateTimeOffset SyncedAt)
{
    public static PartyResponse From(Core.Relations.Party p) => new(
        p.ConnectionId, p.ProviderId, p.Code, p.Name, p.Kind, p.VatNumber, p.EnterpriseNumber, p.Ibans, p.Email, p.Active, p.ModifiedAt, p.SyncedAt);
}

/// <summary>A relation sync that was queued; its outcome is a run-log line ("sync relations").</summary>
public sealed record RelationSyncResponse(string DossierId, string ConnectionId, bool Full, string RequestedBy, DateTimeOffset EnqueuedAt, string Runs)
{
    public static RelationSyncResponse From(Core.Relations.RelationSyncJob job) =>
        new(job.DossierId, job.ConnectionId, job.Full, job.RequestedBy, job.EnqueuedAt, $"/api/dossiers/{job.DossierId}/runs");
}
