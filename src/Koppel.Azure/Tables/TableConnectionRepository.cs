using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>Connections partitioned by dossier; options and document kinds are JSON columns.</summary>
public sealed class TableConnectionRepository : IConnectionRepository
{
    private readonly KoppelTable _table;

    public TableConnectionRepository(TableClient table) => _table = new KoppelTable(table);

    public async Task<Connection?> GetAsync(string dossierId, string connectionId, CancellationToken cancellationToken)
    {
        var entity = await _table.GetAsync(
            TableKeys.Ensure(dossierId, nameof(dossierId)), TableKeys.Ensure(connectionId, nameof(connectionId)), cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    public async IAsyncEnumerable<Connection> ListAsync(string dossierId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId)));
        await foreach (var entity in _table.QueryAsync(filter, null, cancellationToken))
        {
            yield return FromEntity(entity);
        }
    }

    public async Task<Page<Connection>> ListPageAsync(string dossierId, PageRequest page, CancellationToken cancellationToken) =>
        (await _table.QueryPageAsync(KoppelTable.PartitionFilter(TableKeys.Ensure(dossierId, nameof(dossierId))), page, cancellationToken)).Select(FromEntity);

    public Task UpsertAsync(Connection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
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

        return _table.UpsertAsync(entity, cancellationToken);
    }

    public Task<bool> DeleteAsync(string dossierId, string connectionId, CancellationToken cancellationToken) =>
        _table.DeleteAsync(TableKeys.Ensure(dossierId, nameof(dossierId)), TableKeys.Ensure(connectionId, nameof(connectionId)), cancellationToken);

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
        Health = e.GetString("HealthStatus") is { } status
            ? new ConnectionHealth(Enum.Parse<ConnectionHealthStatus>(status), e.GetString("HealthReason"), e.GetInstant("HealthSince"))
            : ConnectionHealth.Unknown,
    };
}
