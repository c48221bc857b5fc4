namespace Koppel.Core.Delivery;

/// <summary>
/// Exponential backoff with full jitter, capped; a provider's Retry-After wins when it asks for longer.
/// Jitter spreads the retries of many dossiers after a provider outage instead of hammering it in step.
/// </summary>
public sealed class RetryPolicy(DeliveryOptions options, Func<double>? random = null)
{
    private readonly Func<double> _random = random ?? Random.Shared.NextDouble;

    /// <param name="failedAttempts">How many attempts have failed so far (1 after the first failure).</param>
    public TimeSpan DelayAfter(int failedAttempts, TimeSpan? retryAfter)
    {
        var exponent = Math.Min(failedAttempts - 1, 20);
        var ceiling = Math.Min(options.FirstRetryDelay.TotalMilliseconds * Math.Pow(2, exponent), options.MaxRetryDelay.TotalMilliseconds);

        // Half fixed, half random: never retry immediately, never all at the same moment.
        var delay = TimeSpan.FromMilliseconds((ceiling / 2) + (_random() * ceiling / 2));
        return retryAfter is { } asked && asked > delay ? asked : delay;
    }

    public bool ShouldDeadLetter(int failedAttempts) => failedAttempts >= options.MaxAttempts;
}
