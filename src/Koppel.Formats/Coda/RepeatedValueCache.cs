namespace Koppel.Formats.Coda;

/// <summary>
/// Shares the objects for short values that repeat on almost every record (transaction codes,
/// structure types, BICs), so a file of 100,000 movements does not allocate them 100,000 times.
/// Bounded, so hostile input cannot grow it without limit.
/// </summary>
internal sealed class RepeatedValueCache<T>(Func<string, T> create)
    where T : class
{
    private const int MaxEntries = 4096;

    private readonly Dictionary<string, T> _values = new(StringComparer.Ordinal);
    private Dictionary<string, T>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private bool _hasLookup;

    public T Get(ReadOnlySpan<char> key)
    {
        if (!_hasLookup)
        {
            // Looked up once: getting it checks the comparer's type, which would cost a cast on every record.
            _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
            _hasLookup = true;
        }

        if (_lookup.TryGetValue(key, out var value))
        {
            return value;
        }

        var text = key.ToString();
        value = create(text);
        if (_values.Count < MaxEntries)
        {
            _values[text] = value;
        }

        return value;
    }
}
