using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>Dossiers in one partition: there are hundreds, not millions, and listing them all is common.</summary>
public sealed class TableDossierRepository : IDossierRepository, IDisposable
{
    private const string Partition = "dossier";

    private readonly KoppelTable _table;
    private readonly RecentReads<string, Dossier> _recent = new();

    public TableDossierRepository(TableClient table) => _table = new KoppelTable(table);

    public async Task<Dossier?> GetAsync(string dossierId, CancellationToken cancellationToken)
    {
        var entity = await _table.GetAsync(Partition, TableKeys.Ensure(dossierId, nameof(dossierId)), cancellationToken);
        return entity is null ? null : _recent.Remember(dossierId, FromEntity(entity));
    }

    public async Task<Dossier?> GetRecentAsync(string dossierId, CancellationToken cancellationToken) =>
        _recent.TryGet(dossierId, out var dossier) ? dossier : await GetAsync(dossierId, cancellationToken);

    public void Dispose() => _recent.Dispose();

    public async IAsyncEnumerable<Dossier> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in _table.QueryAsync(KoppelTable.PartitionFilter(Partition), null, cancellationToken))
        {
            yield return FromEntity(entity);
        }
    }

    public async Task<Page<Dossier>> ListPageAsync(PageRequest page, CancellationToken cancellationToken) =>
        (await _table.QueryPageAsync(KoppelTable.PartitionFilter(Partition), page, cancellationToken)).Select(FromEntity);

    public async Task UpsertAsync(Dossier dossier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dossier);
        _recent.Forget(dossier.Id);
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
        entity.SetIfNotNull("PaymentSchedule", dossier.PaymentSchedule);
        await _table.UpsertAsync(entity, cancellationToken);
        _recent.Forget(dossier.Id);
    }

    public async Task<bool> DeleteAsync(string dossierId, CancellationToken cancellationToken)
    {
        _recent.Forget(dossierId);
        var deleted = await _table.DeleteAsync(Partition, TableKeys.Ensure(dossierId, nameof(dossierId)), cancellationToken);
        _recent.Forget(dossierId);
        return deleted;
    }

    private static Dossier FromEntity(TableEntity e) => new()
    {
        Id = e.RowKey,
        Name = e.Required("Name"),
        EnterpriseNumber = e.Required("EnterpriseNumber"),
        VatNumber = e.GetString("VatNumber"),
        ContactEmail = e.GetString("ContactEmail"),
        TimeZone = e.GetString("TimeZone") ?? "Europe/Brussels",
        PaymentSchedule = e.GetString("PaymentSchedule"),
        CreatedAt = e.GetInstant("CreatedAt"),
        UpdatedAt = e.GetInstant("UpdatedAt"),
    };
}
