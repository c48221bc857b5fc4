namespace Koppel.Core.Connectors;

public enum DeliveryResultKind
{
    Delivered,

    /// <summary>Worth retrying: the provider is down, throttling, or the network failed.</summary>
    Transient,

    /// <summary>Retrying will not help: bad credentials, the document was rejected.</summary>
    Permanent,
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

    public static DeliveryResult Delivered(string reference) => new(DeliveryResultKind.Delivered, reference, null, null);

    public static DeliveryResult Transient(string reason, TimeSpan? retryAfter = null) => new(DeliveryResultKind.Transient, null, reason, retryAfter);

    public static DeliveryResult Permanent(string reason) => new(DeliveryResultKind.Permanent, null, reason, null);
}
