namespace Koppel.Core.Delivery;

public enum DeliveryOutcomeKind
{
    /// <summary>Done (delivered, failed for good, or nothing to do): remove the message.</summary>
    Complete,

    /// <summary>Try again after <see cref="DeliveryOutcome.RetryAfter"/>.</summary>
    Retry,

    /// <summary>Give up: move the message to the dead-letter queue with the reason.</summary>
    DeadLetter,
}

/// <summary>What the host should do with the queue message after the handler ran.</summary>
public sealed record DeliveryOutcome(DeliveryOutcomeKind Kind, string Reason, TimeSpan RetryAfter = default)
{
    public static DeliveryOutcome Complete(string reason) => new(DeliveryOutcomeKind.Complete, reason);

    public static DeliveryOutcome Retry(TimeSpan after, string reason) => new(DeliveryOutcomeKind.Retry, reason, after);

    public static DeliveryOutcome DeadLetter(string reason) => new(DeliveryOutcomeKind.DeadLetter, reason);
}
