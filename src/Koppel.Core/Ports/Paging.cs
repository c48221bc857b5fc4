namespace Koppel.Core.Ports;

/// <summary>
/// One page of a list: at most <see cref="Size"/> items, starting where <see cref="ContinuationToken"/> (the store's own
/// token from the previous page, never shown to a client as it is) says; null starts at the beginning.
/// </summary>
public sealed record PageRequest(int Size, string? ContinuationToken = null)
{
    public const int DefaultSize = 100;

    public const int MaxSize = 1000;

    public static PageRequest First(int size = DefaultSize) => new(size);
}

/// <summary>A page of items and the store's token for the next page; a null token means this was the last page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? ContinuationToken)
{
    public Page<TResult> Select<TResult>(Func<T, TResult> map) => new(Items.Select(map).ToList(), ContinuationToken);
}

/// <summary>A continuation token the store could not use: garbage, or from another list. Answered as a 400, never a 500.</summary>
public sealed class InvalidContinuationTokenException : Exception
{
    public InvalidContinuationTokenException()
        : base("The continuation token is not one this list handed out.")
    {
    }

    public InvalidContinuationTokenException(string message)
        : base(message)
    {
    }

    public InvalidContinuationTokenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
