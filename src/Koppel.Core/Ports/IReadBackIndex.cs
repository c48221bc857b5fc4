using System.Runtime.CompilerServices;

namespace Koppel.Core.Ports;

/// <summary>What Koppel last learned about a delivered document at its target.</summary>
public enum ReadBackState
{
    /// <summary>Nothing yet: the file is where Koppel put it, or the provider is still processing it.</summary>
    Waiting,

    /// <summary>The receiver moved the file to <c>processed/</c>, or the provider passed the document on.</summary>
    Processed,

    /// <summary>The receiver moved the file to <c>error/</c>, or the provider refused the document.</summary>
    Rejected,

    /// <summary>The file is no longer in its folder, nor in <c>processed/</c> or <c>error/</c>.</summary>
    Gone,

    /// <summary>Nothing changed within the configured age: Koppel stopped asking.</summary>
    GaveUp,
}

/// <summary>
/// One delivered document whose fate at the target Koppel still asks about. It exists from the delivery until the target
/// says something final (or Koppel gives up); <see cref="Reported"/> false with a <see cref="ChangedAt"/> means a run
/// claimed the change in <see cref="State"/> and is writing its history line.
/// </summary>
public sealed record ReadBackItem
{
    public required string DossierId { get; init; }

    public required string ConnectionId { get; init; }

    public required string DeliveryId { get; init; }

    public required string DocumentId { get; init; }

    public required string Provider { get; init; }

    /// <summary>The delivery reference the connector returned (a file path, Onea's uuid): what the target is asked about.</summary>
    public required string Reference { get; init; }

    public DateTimeOffset DeliveredAt { get; init; }

    public ReadBackState State { get; init; } = ReadBackState.Waiting;

    /// <summary>True once the history says <see cref="State"/> (nothing to say for <see cref="ReadBackState.Waiting"/>).</summary>
    public bool Reported { get; init; } = true;

    /// <summary>When a run claimed the change to <see cref="State"/>; a claim older than a few minutes was left by a run that stopped.</summary>
    public DateTimeOffset? ChangedAt { get; init; }

    /// <summary>Optimistic-concurrency token of the stored row; null for a row not yet stored.</summary>
    public string? ETag { get; init; }
}

/// <summary>
/// The deliveries whose outcome at the target is still to be read back (file targets with the acknowledgement
/// convention, providers with a status call). Only open items are kept, so a read-back run reads this small index, never
/// the ledger.
/// </summary>
public interface IReadBackIndex
{
    /// <summary>Adds the item unless one exists for its delivery (a repeated success adds nothing).</summary>
    Task AddIfAbsentAsync(ReadBackItem item, CancellationToken cancellationToken);

    /// <summary>Every open item, by dossier, then connection, then delivery id: one connection's items come together.</summary>
    IAsyncEnumerable<ReadBackItem> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the item if its ETag still matches; throws <see cref="ConcurrencyConflictException"/> otherwise.</summary>
    Task<ReadBackItem> ReplaceAsync(ReadBackItem item, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the item if its ETag still matches; throws <see cref="ConcurrencyConflictException"/> when it was changed
    /// meanwhile. An item removed already is no error.
    /// </summary>
    Task RemoveAsync(ReadBackItem item, CancellationToken cancellationToken);
}

/// <summary>The index in this process only: for tests, the bench and a host without storage.</summary>
public sealed class InMemoryReadBackIndex : IReadBackIndex
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<(string Dossier, string Connection, string Delivery), ReadBackItem> _items = [];
    private long _etag;

    public IReadOnlyList<ReadBackItem> Items
    {
        get
        {
            lock (_lock)
            {
                return [.. _items.Values];
            }
        }
    }

    public Task AddIfAbsentAsync(ReadBackItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock)
        {
            _items.TryAdd(Key(item), item with { ETag = NextETag() });
            return Task.CompletedTask;
        }
    }

    public async IAsyncEnumerable<ReadBackItem> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ReadBackItem> open;
        lock (_lock)
        {
            open = [.. _items.Values];
        }

        foreach (var item in open)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return item;
        }
    }

    public Task<ReadBackItem> ReplaceAsync(ReadBackItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock)
        {
            Current(item);
            var stored = item with { ETag = NextETag() };
            _items[Key(item)] = stored;
            return Task.FromResult(stored);
        }
    }

    public Task RemoveAsync(ReadBackItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_lock)
        {
            if (!_items.ContainsKey(Key(item)))
            {
                return Task.CompletedTask;
            }

            Current(item);
            _items.Remove(Key(item));
            return Task.CompletedTask;
        }
    }

    private void Current(ReadBackItem item)
    {
        if (!_items.TryGetValue(Key(item), out var stored) || stored.ETag != item.ETag)
        {
            throw new ConcurrencyConflictException($"The read-back item of delivery {item.DeliveryId} was changed or removed by someone else.");
        }
    }

    private static (string, string, string) Key(ReadBackItem item) => (item.DossierId, item.ConnectionId, item.DeliveryId);

    private string NextETag() => (++_etag).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
