using System.Collections.Concurrent;

namespace Koppel.Core.Ports;

/// <summary>
/// Makes an OAuth refresh single-flight across every process that shares a consent. Providers that rotate refresh
/// tokens (Exact Online) kill the old refresh token the moment the new one is used, so two workers refreshing at once
/// would leave one of them holding a dead token and force the user to consent again. The holder of the lease refreshes,
/// stores the new tokens, then releases; everyone else waits and reads what the holder stored.
/// </summary>
public interface IOAuthRefreshLeases
{
    /// <summary>
    /// Takes the lease on <paramref name="key"/> for at most <paramref name="duration"/> (so a crashed holder cannot
    /// block the consent for ever), or returns null when someone else holds it. Disposing releases it.
    /// </summary>
    Task<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan duration, CancellationToken cancellationToken);
}

/// <summary>The lease for one process (tests, a single self-hosted server): a lease per key in memory.</summary>
public sealed class InMemoryOAuthRefreshLeases(TimeProvider clock) : IOAuthRefreshLeases
{
    private readonly ConcurrentDictionary<string, Holder> _held = new(StringComparer.Ordinal);

    public InMemoryOAuthRefreshLeases()
        : this(TimeProvider.System)
    {
    }

    public Task<IAsyncDisposable?> TryAcquireAsync(string key, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var mine = new Holder(this, key, now + duration);
        var current = _held.GetOrAdd(key, mine);
        if (ReferenceEquals(current, mine))
        {
            return Task.FromResult<IAsyncDisposable?>(mine);
        }

        // An expired lease is taken over only if nobody else took it over first (compare-and-swap on the holder).
        if (current.Until <= now && _held.TryUpdate(key, mine, current))
        {
            return Task.FromResult<IAsyncDisposable?>(mine);
        }

        return Task.FromResult<IAsyncDisposable?>(null);
    }

    private sealed class Holder(InMemoryOAuthRefreshLeases owner, string key, DateTimeOffset until) : IAsyncDisposable
    {
        public DateTimeOffset Until { get; } = until;

        public ValueTask DisposeAsync()
        {
            owner._held.TryRemove(new KeyValuePair<string, Holder>(key, this));
            return ValueTask.CompletedTask;
        }
    }
}
