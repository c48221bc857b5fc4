namespace Koppel.Formats.Tests.Ubl;

/// <summary>
/// A tiny seeded pseudo-random generator (SplitMix64): the same seed gives the same fuzz inputs on
/// every machine and every .NET version, so a failing case can be replayed by its number.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, maxExclusive).</summary>
    public int Next(int maxExclusive) => maxExclusive <= 0 ? 0 : (int)(NextUInt64() % (ulong)maxExclusive);

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
