namespace Koppel.Core.Ports;

/// <summary>
/// A counter of calls per scope (e.g. one Yuki domain) and day, shared by every Koppel instance, so that a
/// provider's daily call quota is never exceeded however many workers deliver at once.
/// </summary>
public interface IDailyQuota
{
    /// <summary>
    /// Takes <paramref name="calls"/> from the budget of <paramref name="scope"/> on <paramref name="day"/> if the
    /// total stays at or below <paramref name="limit"/>. Returns false, taking nothing, when it would not.
    /// </summary>
    Task<bool> TryConsumeAsync(string scope, DateOnly day, int calls, int limit, CancellationToken cancellationToken);

    /// <summary>How many calls were taken for <paramref name="scope"/> on <paramref name="day"/>.</summary>
    Task<int> UsedAsync(string scope, DateOnly day, CancellationToken cancellationToken);
}

/// <summary>The counter in this process only: for tests and a single self-hosted instance.</summary>
public sealed class InMemoryDailyQuota : IDailyQuota
{
    private readonly Dictionary<(string Scope, DateOnly Day), int> _used = [];
    private readonly Lock _lock = new();

    public Task<bool> TryConsumeAsync(string scope, DateOnly day, int calls, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        ArgumentOutOfRangeException.ThrowIfNegative(calls);
        lock (_lock)
        {
            var used = _used.GetValueOrDefault((scope, day));
            if (used + calls > limit)
            {
                return Task.FromResult(false);
            }

            _used[(scope, day)] = used + calls;
            Telemetry.KoppelTelemetry.RecordQuotaUse(scope, calls);
            return Task.FromResult(true);
        }
    }

    public Task<int> UsedAsync(string scope, DateOnly day, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_used.GetValueOrDefault((scope, day)));
        }
    }
}
