using Azure.Data.Tables;

namespace Koppel.Azure.Tables;

/// <summary>
/// Inserts rows of one table in entity-group transactions: rows for the same partition that arrive while a
/// transaction of that partition is in flight wait and go together in the next one (up to 100, the service's limit).
/// Each caller's task completes only when its own row is stored, so nothing is acknowledged that a crash could lose;
/// a lone row goes at once, so a quiet system waits for nothing. Under load, ten history or run-log lines of a busy
/// dossier cost one call instead of ten.
/// </summary>
internal sealed class GroupCommit(KoppelTable table)
{
    private const int MaxPerTransaction = 100;

    private readonly Dictionary<string, Partition> _partitions = new(StringComparer.Ordinal);

    /// <returns>false when a row with these keys exists already (nothing is overwritten).</returns>
    public async Task<bool> TryAddAsync(TableEntity entity, CancellationToken cancellationToken) =>
        (await TryAddAllAsync([entity], cancellationToken))[0];

    /// <summary>Rows of one partition that belong together: queued at once, so they share a transaction.</summary>
    /// <returns>Per row, false when a row with its keys exists already.</returns>
    public Task<bool[]> TryAddAllAsync(IReadOnlyList<TableEntity> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        var pending = entities.Select(e => new Pending(e, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously))).ToList();
        var startFlushing = new List<string>();
        lock (_partitions)
        {
            foreach (var row in pending)
            {
                var key = row.Entity.PartitionKey;
                if (!_partitions.TryGetValue(key, out var partition))
                {
                    partition = new Partition();
                    _partitions[key] = partition;
                }

                partition.Waiting.Add(row);
                if (!partition.Flushing)
                {
                    partition.Flushing = true;
                    startFlushing.Add(key);
                }
            }
        }

        foreach (var key in startFlushing)
        {
            // Not the caller's token: once started, a transaction carries other callers' rows too.
            _ = FlushAsync(key);
        }

        return Task.WhenAll(pending.Select(p => p.Stored.Task)).WaitAsync(cancellationToken);
    }

    private async Task FlushAsync(string partitionKey)
    {
        while (true)
        {
            List<Pending> batch;
            lock (_partitions)
            {
                var partition = _partitions[partitionKey];
                if (partition.Waiting.Count == 0)
                {
                    partition.Flushing = false;
                    _partitions.Remove(partitionKey);
                    return;
                }

                batch = partition.Waiting.Take(MaxPerTransaction).ToList();
                partition.Waiting.RemoveRange(0, batch.Count);
            }

            await StoreAsync(batch);
        }
    }

    private async Task StoreAsync(List<Pending> batch)
    {
        try
        {
            if (batch.Count == 1)
            {
                batch[0].Stored.TrySetResult(await table.TryAddAsync(batch[0].Entity, CancellationToken.None) is not null);
                return;
            }

            var client = await table.ClientAsync(CancellationToken.None);
            await client.SubmitTransactionAsync(batch.Select(p => new TableTransactionAction(TableTransactionActionType.Add, p.Entity)), CancellationToken.None);
            foreach (var pending in batch)
            {
                pending.Stored.TrySetResult(true);
            }
        }
        catch (TableTransactionFailedException)
        {
            // One row of the group exists already (the whole transaction is refused then): each row on its own, so
            // only its caller hears of it.
            await Task.WhenAll(batch.Select(async pending =>
            {
                try
                {
                    pending.Stored.TrySetResult(await table.TryAddAsync(pending.Entity, CancellationToken.None) is not null);
                }
                catch (Exception ex)
                {
                    pending.Stored.TrySetException(ex);
                }
            }));
        }
        catch (Exception ex)
        {
            // Whatever went wrong, every waiting caller hears of it: none may wait forever.
            foreach (var pending in batch)
            {
                pending.Stored.TrySetException(ex);
            }
        }
    }

    private sealed class Partition
    {
        public List<Pending> Waiting { get; } = [];

        public bool Flushing { get; set; }
    }

    private sealed record Pending(TableEntity Entity, TaskCompletionSource<bool> Stored);
}
