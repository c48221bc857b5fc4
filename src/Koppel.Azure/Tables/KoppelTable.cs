using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace Koppel.Azure.Tables;

/// <summary>A table that is created on first use, plus the few calls every repository needs.</summary>
internal sealed class KoppelTable
{
    private readonly TableClient _client;
    private readonly CreateOnce _ensureTable;

    public KoppelTable(TableClient client)
    {
        _client = client;
        _ensureTable = new CreateOnce(ct => _client.CreateIfNotExistsAsync(ct));
    }

    public string Name => _client.Name;

    public async ValueTask<TableClient> ClientAsync(CancellationToken cancellationToken)
    {
        await _ensureTable.EnsureAsync(cancellationToken);
        return _client;
    }

    public async Task<TableEntity?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async IAsyncEnumerable<TableEntity> QueryAsync(string? filter, int? maxPerPage, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        await foreach (var entity in client.QueryAsync<TableEntity>(filter, maxPerPage, cancellationToken: cancellationToken))
        {
            yield return entity;
        }
    }

    /// <summary>
    /// One page of up to <paramref name="page"/>.Size rows. The service may answer a query with fewer rows than asked
    /// (a partition boundary, its time limit) and a token: the rest of the page is read from there, each time asking
    /// only for what is missing, so a page is full unless it is the last one and the token points exactly after it.
    /// </summary>
    public async Task<Koppel.Core.Ports.Page<TableEntity>> QueryPageAsync(string? filter, Koppel.Core.Ports.PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(page.Size);
        var client = await ClientAsync(cancellationToken);
        var rows = new List<TableEntity>(Math.Min(page.Size, 1000));
        var token = page.ContinuationToken;
        do
        {
            var wanted = Math.Min(page.Size - rows.Count, 1000);
            try
            {
                await foreach (var slice in client.QueryAsync<TableEntity>(filter, wanted, cancellationToken: cancellationToken).AsPages(token, wanted))
                {
                    rows.AddRange(slice.Values);
                    token = slice.ContinuationToken;
                    break;
                }
            }
            catch (Exception e) when (token is not null && (e is RequestFailedException { Status: 400 } or FormatException or ArgumentException or IndexOutOfRangeException))
            {
                throw new Koppel.Core.Ports.InvalidContinuationTokenException("The continuation token does not point into this list.", e);
            }
        }
        while (rows.Count < page.Size && !string.IsNullOrEmpty(token));

        return new Koppel.Core.Ports.Page<TableEntity>(rows, string.IsNullOrEmpty(token) ? null : token);
    }

    public async Task UpsertAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        await client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <returns>The new ETag, or null when a row with these keys exists already.</returns>
    public async Task<string?> TryAddAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        try
        {
            var response = await client.AddEntityAsync(entity, cancellationToken);
            return response.Headers.ETag?.ToString();
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>Replaces the row only if it still has <paramref name="etag"/>; returns the new ETag.</summary>
    public async Task<string> ReplaceIfMatchAsync(TableEntity entity, string? etag, string what, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(etag))
        {
            throw new ArgumentException($"The {what} has no ETag: read it from the store before replacing it.", nameof(etag));
        }

        var client = await ClientAsync(cancellationToken);
        try
        {
            var response = await client.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken);
            return response.Headers.ETag?.ToString() ?? "";
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            throw new Koppel.Core.Ports.ConcurrencyConflictException(
                $"The {what} '{entity.PartitionKey}/{entity.RowKey}' was changed or removed by someone else; reload it and try again.", e);
        }
    }

    /// <returns>false when there was no such row.</returns>
    public async Task<bool> DeleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        var response = await client.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        return response.Status != 404;
    }

    /// <summary>Deletes the row only if it still has <paramref name="etag"/>: a changed row is a conflict, a row gone already is no error.</summary>
    public async Task DeleteIfMatchAsync(string partitionKey, string rowKey, string? etag, string what, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(etag))
        {
            throw new ArgumentException($"The {what} has no ETag: read it from the store before removing it.", nameof(etag));
        }

        var client = await ClientAsync(cancellationToken);
        try
        {
            await client.DeleteEntityAsync(partitionKey, rowKey, new ETag(etag), cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 412)
        {
            throw new Koppel.Core.Ports.ConcurrencyConflictException(
                $"The {what} '{partitionKey}/{rowKey}' was changed by someone else.", e);
        }
    }

    public static string PartitionFilter(string partitionKey) => TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}");
}
