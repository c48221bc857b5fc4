using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>
/// Connections partitioned by dossier; options and document kinds are JSON columns. What was read or listed in the
/// last seconds serves <see cref="GetRecentAsync"/>, so the delivery of a document just ingested (which listed the
/// dossier's connections) does not read its connection again.
/// </summary>
public sealed class TableConnectionRepository : IConnectionRepository, IDisposable
{
    private readonly KoppelTable _table;
    private readonly RecentReads<(string, string), Connection> _recent = new();

    public TableConnectionRepository(TableClient table) => _table = new KoppelTable(table);

    public async Task<Connection?> GetAsync(string dossierId, string connectionId, CancellationToken cancellationToken)
    {
        var entity = await _table.GetAsync(
            TableKeys.Ensure(dossierId, nameof(dossierId)), TableKeys.Ensure(connectionId, nameof(connectionId)), cancellationToken);
        return entity is null ? null : _recent.Remember((dossierId, connectionId), FromEntity(entity));
    }

    public async Task<Connection?> GetRecentAsync(string dossierId, string connectionId, CancellationToken cancellationToken) =>
        _recent.TryGet((dossierId, connectionId), out var connection) ? connection : await GetAsync(dossierId, connectionId, cancellationToken);

    public async IAsyncEnumerable<Connection> ListAsync(string dossierId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId)));
        await foreach (var entity in _table.QueryAsync(filter, null, cancellationToken))
        {
            var connection = FromEntity(entity);
            yield return _recent.Remember((connection.DossierId, connection.Id), connection);
        }
    }

    public async Task<Page<Connection>> ListPageAsync(string dossierId, PageRequest page, CancellationToken cancellationToken) =>
        (await _table.QueryPageAsync(KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId))), page, cancellationToken)).Select(FromEntity);

    public async Task<Page<Connection>> ListNeedingAttentionPageAsync(IReadOnlyCollection<string>? dossierIds, PageRequest page, CancellationToken cancellationToken)
    {
        // Statuses named one by one: a row without a health column (never tried) must not match, whatever the store
        // makes of a comparison with a missing property.
        var states = string.Join(" or ", Enum.GetValues<ConnectionHealthStatus>()
            .Where(s => new ConnectionHealth(s, null, default).NeedsLooking)
            .Select(s => TableClient.CreateQueryFilter($"HealthStatus eq {s.ToString()}")));
        var filter = $"({states} or HealthWarned eq true)";
        if (dossierIds is not null)
        {
            if (dossierIds.Count == 0)
            {
                return new Page<Connection>([], null);
            }

            filter += " and (" + string.Join(" or ", dossierIds.Order(StringComparer.Ordinal).Select(d => KoppelTable.PartitionFilter(TableKeys.Ensure(d, "dossier id")))) + ")";
        }

        return (await _table.QueryPageAsync(filter, page, cancellationToken)).Select(FromEntity);
    }

    public void Dispose() => _recent.Dispose();

    public async Task UpsertAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _recent.Forget((connection.DossierId, connection.Id));
        var entity = new TableEntity(
            TableKeys.Ensure(connection.DossierId, nameof(connection.DossierId)), TableKeys.Ensure(connection.Id, nameof(connection.Id)))
        {
            ["Provider"] = connection.Provider,
            ["DocumentKinds"] = EntityColumns.ToJson(connection.DocumentKinds.Select(k => k.ToString()).Order(StringComparer.Ordinal)),
            ["Options"] = EntityColumns.ToJson(connection.Options),
            ["Enabled"] = connection.Enabled,
            ["CreatedAt"] = connection.CreatedAt,
            ["UpdatedAt"] = connection.UpdatedAt,
        };
        entity.SetIfNotNull("DisplayName", connection.DisplayName);
        entity.SetIfNotNull("SecretName", connection.SecretName);
        if (connection.Health.Status != ConnectionHealthStatus.Unknown)
        {
            entity["HealthStatus"] = connection.Health.Status.ToString();
            entity["HealthSince"] = connection.Health.Since;
            entity.SetIfNotNull("HealthReason", connection.Health.Reason);
        }

        if (connection.Health.Warning is { } warning)
        {
            // A boolean column the attention query can test, beside the text it cannot.
            entity["HealthWarned"] = true;
            entity["HealthWarning"] = warning;
            entity.SetIfNotNull("HealthWarnedAt", connection.Health.WarnedAt);
        }

        await _table.UpsertAsync(entity, cancellationToken);
        _recent.Forget((connection.DossierId, connection.Id));
    }

    public async Task<bool> DeleteAsync(string dossierId, string connectionId, CancellationToken cancellationToken)
    {
        _recent.Forget((dossierId, connectionId));
        var deleted = await _table.DeleteAsync(TableKeys.Ensure(dossierId, nameof(dossierId)), TableKeys.Ensure(connectionId, nameof(connectionId)), cancellationToken);
        _recent.Forget((dossierId, connectionId));
        return deleted;
    }

    private static Connection FromEntity(TableEntity e) => new()
    {
        Id = e.RowKey,
        DossierId = e.PartitionKey,
        Provider = e.Required("Provider"),
        DisplayName = e.GetString("DisplayName"),
        DocumentKinds = e.FromJson<string[]>("DocumentKinds", []).Select(Enum.Parse<DocumentKind>).ToHashSet(),
        Options = e.FromJson<Dictionary<string, string>>("Options", []),
        SecretName = e.GetString("SecretName"),
        Enabled = e.GetBoolean("Enabled") ?? true,
        CreatedAt = e.GetInstant("CreatedAt"),
        UpdatedAt = e.GetInstant("UpdatedAt"),
        Health = (e.GetString("HealthStatus") is { } status
            ? new ConnectionHealth(Enum.Parse<ConnectionHealthStatus>(status), e.GetString("HealthReason"), e.GetInstant("HealthSince"))
            : ConnectionHealth.Unknown) with
        {
            Warning = e.GetString("HealthWarning"),
            WarnedAt = e.ContainsKey("HealthWarnedAt") ? e.GetInstant("HealthWarnedAt") : null,
        },
    };
}
