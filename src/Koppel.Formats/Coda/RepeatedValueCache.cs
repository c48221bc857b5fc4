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

    public T Get(ReadOnlySpan<char> key)
    {
        var lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(key, out var value))
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
