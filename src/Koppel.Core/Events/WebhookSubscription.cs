namespace Koppel.Core.Events;

/// <summary>
/// A platform's webhook: where Koppel posts the events it asked for. Its signing secret is in the secret store under
/// <see cref="SecretName"/>, never here.
/// </summary>
public sealed record WebhookSubscription
{
    public required string Id { get; init; }

    /// <summary>Which platform (or which of its environments) the webhook belongs to; shown to the operator.</summary>
    public required string Platform { get; init; }

    public required Uri Url { get; init; }

    /// <summary>The event types it wants; empty: every type.</summary>
    public IReadOnlyList<string> EventTypes { get; init; } = [];

    /// <summary>The dossiers it hears about; empty: every dossier.</summary>
    public IReadOnlyList<string> Dossiers { get; init; } = [];

    public bool Enabled { get; init; } = true;

    public DateTimeOffset CreatedAt { get; init; }

    public string SecretName => SecretNameOf(Id);

    public static string SecretNameOf(string id) => $"webhook-{id}";

    public bool Wants(PlatformEvent platformEvent)
    {
        ArgumentNullException.ThrowIfNull(platformEvent);
        return Enabled
            && (EventTypes.Count == 0 || EventTypes.Contains(platformEvent.Type, StringComparer.Ordinal))
            && (Dossiers.Count == 0 || Dossiers.Contains(platformEvent.DossierId, StringComparer.Ordinal));
    }
}

/// <summary>One event on its way to one webhook; <see cref="Attempt"/> counts the posts, this one included.</summary>
public sealed record WebhookDelivery(string SubscriptionId, PlatformEvent Event, int Attempt);

/// <summary>An event a webhook did not take within the attempt limit: kept, listed and replayable.</summary>
public sealed record WebhookDeadLetter
{
    public required string SubscriptionId { get; init; }

    public required PlatformEvent Event { get; init; }

    public required int Attempts { get; init; }

    public required string LastError { get; init; }

    public required DateTimeOffset DeadLetteredAt { get; init; }
}

/// <summary>What one post to a webhook came to.</summary>
public sealed record WebhookSendResult(bool Delivered, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static WebhookSendResult Ok { get; } = new(true);

    public static WebhookSendResult Failed(string error, TimeSpan? retryAfter = null) => new(false, error, retryAfter);
}
