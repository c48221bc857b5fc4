namespace Koppel.Core.Connectors;

/// <summary>
/// A connector whose provider counts calls against a daily quota that Koppel keeps a tally of (Yuki: per domain), so
/// the daily check can warn before the quota runs out and documents start waiting for the next day.
/// </summary>
public interface IQuotaGauge
{
    /// <summary>The calls counted on <paramref name="day"/> (the provider's own calendar day) for the connection's quota.</summary>
    Task<QuotaUsage> ReadQuotaUsageAsync(ConnectorSettings settings, DateOnly day, CancellationToken cancellationToken);

    /// <summary>The provider's calendar day now (Yuki's quota turns over at midnight, Belgian time).</summary>
    DateOnly QuotaDay(DateTimeOffset now);
}

/// <summary>
/// What a quota holder has used. <see cref="Scope"/> is the key of Koppel's counter (connections sharing a Yuki domain
/// share it); <see cref="Label"/> names the holder in the user's words.
/// </summary>
public sealed record QuotaUsage(string Scope, string Label, int Used, int Limit)
{
    public decimal Share => Limit <= 0 ? 0m : (decimal)Used / Limit;
}
