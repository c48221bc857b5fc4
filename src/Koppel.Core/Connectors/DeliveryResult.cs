using Koppel.Core.Domain;

namespace Koppel.Core.Connectors;

public enum DeliveryResultKind
{
    Delivered,

    /// <summary>Worth retrying: the provider is down, throttling, or the network failed.</summary>
    Transient,

    /// <summary>Retrying will not help: bad credentials, the document was rejected.</summary>
    Permanent,

    /// <summary>Not tried on purpose (a daily quota is used up): try again at <see cref="DeliveryResult.NotBefore"/>; not an attempt.</summary>
    Deferred,
}

/// <summary>What a connector reports back for one delivery.</summary>
public sealed record DeliveryResult
{
    private DeliveryResult(DeliveryResultKind kind, string? reference, string? reason, TimeSpan? retryAfter)
    {
        Kind = kind;
        Reference = reference;
        Reason = reason;
        RetryAfter = retryAfter;
    }

    public DeliveryResultKind Kind { get; }

    /// <summary>The provider's own reference (file path, message id, booking number).</summary>
    public string? Reference { get; }

    public string? Reason { get; }

    /// <summary>The provider asked to wait this long (Retry-After).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>For <see cref="DeliveryResultKind.Deferred"/>: the earliest moment to try again.</summary>
    public DateTimeOffset? NotBefore { get; private init; }

    /// <summary>
    /// Set when the failure says the connection itself stopped working (credentials refused, consent expired):
    /// the handler then marks the connection's health, so the user sees it on the connection.
    /// </summary>
    public ConnectionHealthStatus? ConnectionProblem { get; private init; }

    /// <summary>For a transient failure: the provider could not be reached at all (rather than answering with an error).</summary>
    public bool Unreachable { get; private init; }

    /// <summary>
    /// Settings the connector learned and wants kept on the connection (e.g. the SFTP host key seen on first use).
    /// They are stored only where the connection has no value yet: a pinned value is changed by a person, never here.
    /// </summary>
    public IReadOnlyDictionary<string, string> LearnedSettings { get; private init; } = new Dictionary<string, string>();

    /// <summary>
    /// Lines for the document's history beside the outcome (which customer was matched, that a supplier was created), in
    /// the user's words; written when the delivery succeeds.
    /// </summary>
    public IReadOnlyList<string> Notes { get; private init; } = [];

    public DeliveryResult WithNote(string note) => this with { Notes = [.. Notes, note] };

    public DeliveryResult WithLearnedSetting(string name, string value) =>
        this with { LearnedSettings = new Dictionary<string, string>(LearnedSettings) { [name] = value } };

    public static DeliveryResult Delivered(string reference) => new(DeliveryResultKind.Delivered, reference, null, null);

    public static DeliveryResult Transient(string reason, TimeSpan? retryAfter = null) => new(DeliveryResultKind.Transient, null, reason, retryAfter);

    /// <summary>A transient failure because the provider could not be reached (network, DNS, connect timeout).</summary>
    public static DeliveryResult TransientUnreachable(string reason, TimeSpan? retryAfter = null) =>
        new(DeliveryResultKind.Transient, null, reason, retryAfter) { Unreachable = true };

    public static DeliveryResult Permanent(string reason) => new(DeliveryResultKind.Permanent, null, reason, null);

    /// <summary>A permanent failure because the connection is broken (<paramref name="needsConsent"/>: an OAuth consent must be renewed).</summary>
    public static DeliveryResult ConnectionBroken(string reason, bool needsConsent = false) =>
        new(DeliveryResultKind.Permanent, null, reason, null)
        {
            ConnectionProblem = needsConsent ? ConnectionHealthStatus.NeedsConsent : ConnectionHealthStatus.Broken,
        };

    /// <summary>Held back until <paramref name="notBefore"/>, with the reason the user reads in the history.</summary>
    public static DeliveryResult Deferred(string reason, DateTimeOffset notBefore) =>
        new(DeliveryResultKind.Deferred, null, reason, null) { NotBefore = notBefore };
}
