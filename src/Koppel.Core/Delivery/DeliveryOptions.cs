namespace Koppel.Core.Delivery;

public sealed class DeliveryOptions
{
    /// <summary>Attempts before a delivery that keeps failing transiently is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Delay before the second attempt; each next one doubles, with jitter.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How long a worker owns a delivery it started; a crashed worker's delivery is taken over after this.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// This process's name among the processes that share the storage, stable across its restarts, so a restarted
    /// process resumes at once the deliveries it was in the middle of when it died instead of waiting for their claims
    /// to expire. Processes running side by side must have distinct names; the default is the machine and folder.
    /// </summary>
    public string Instance { get; set; } = $"{Environment.MachineName}:{Environment.CurrentDirectory}";

    /// <summary>Who claims a delivery: <see cref="Instance"/> and this run of it.</summary>
    public string Claimant => $"{Instance}#{Incarnation}";

    private static readonly string Incarnation = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Pending deliveries older than this without progress are queued again by the sweeper.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(10);
}
