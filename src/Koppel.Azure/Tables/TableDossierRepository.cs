using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>Dossiers in one partition: there are hundreds, not millions, and listing them all is common.</summary>
public sealed class TableDossierRepository : IDossierRepository
{
    private const string Partition = "dossier";

    private readonly KoppelTable _table;

    public TableDossierRepository(TableClient table) => _table = new KoppelTable(table);

    public async Task<Dossier?> GetAsync(string dossierId, CancellationToken cancellationToken)
    {
        var entity = await _table.GetAsync(Partition, TableKeys.Ensure(dossierId, nameof(dossierId)), cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    public async IAsyncEnumerable<Dossier> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in _table.QueryAsync(KoppelTable.PartitionFilter(Partition), null, cancellationToken))
        {
            yield return FromEntity(entity);
        }
    }

    public async Task<Page<Dossier>> ListPageAsync(PageRequest page, CancellationToken cancellationToken) =>
        (await _table.QueryPageAsync(KoppelTable.PartitionFilter(Partition), page, cancellationToken)).Select(FromEntity);

    public Task UpsertAsync(Dossier dossier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossier);
        var entity = new TableEntity(Partition, TableKeys.Ensure(dossier.Id, nameof(dossier.Id)))
        {
            ["Name"] = dossier.Name,
            ["EnterpriseNumber"] = dossier.EnterpriseNumber,
            ["TimeZone"] = dossier.TimeZone,
            ["CreatedAt"] = dossier.CreatedAt,
            ["UpdatedAt"] = dossier.UpdatedAt,
        };
        entity.SetIfNotNull("VatNumber", dossier.VatNumber);
        entity.SetIfNotNull("ContactEmail", dossier.ContactEmail);
        return _table.UpsertAsync(entity, cancellationToken);
    }

    public Task<bool> DeleteAsync(string dossierId, CancellationToken cancellationToken) =>
        _table.DeleteAsync(Partition, TableKeys.Ensure(dossierId, nameof(dossierId)), cancellationToken);

    private static Dossier FromEntity(TableEntity e) => new()
    {
        Id = e.RowKey,
        Name = e.Required("Name"),
        EnterpriseNumber = e.Required("EnterpriseNumber"),
        VatNumber = e.GetString("VatNumber"),
        ContactEmail = e.GetString("ContactEmail"),
        TimeZone = e.GetString("TimeZone") ?? "Europe/Brussels",
        CreatedAt = e.GetInstant("CreatedAt"),
        UpdatedAt = e.GetInstant("UpdatedAt"),
    };
}
