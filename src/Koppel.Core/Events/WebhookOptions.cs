namespace Koppel.Core.Events;

/// <summary>Configuration section <c>Koppel:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Koppel:Webhooks";

    /// <summary>Posts of one event to one webhook before it is dead-lettered (the first post included).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait after the first failed post; it doubles after each further one, up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long one post may take before it counts as failed.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}
