using Microsoft.Extensions.Caching.Memory;

namespace Koppel.Azure.Tables;

/// <summary>
/// Rows read in the last <see cref="MaxAge"/>, bounded in number, for the hot paths that may work from a copy a few
/// seconds old. The repositories forget a row before and after writing it, so this process never reads its own
/// change stale; another instance's change shows within <see cref="MaxAge"/>.
/// </summary>
internal sealed class RecentReads<TKey, TValue> : IDisposable
    where TKey : notnull
    where TValue : class
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });

    public TValue Remember(TKey key, TValue value) =>
        _cache.Set(key, value, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = MaxAge });

    public bool TryGet(TKey key, out TValue? value) => _cache.TryGetValue(key, out value);

    public void Forget(TKey key) => _cache.Remove(key);

    public void Dispose() => _cache.Dispose();
}
