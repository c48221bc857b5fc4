using Azure;
using Azure.Data.Tables;
using Koppel.Core.Ports;
using Koppel.Core.Relations;

namespace Koppel.Azure.Tables;

/// <summary>
/// The synced relations in one table, partitioned by dossier, laid out as <see cref="RelationRows"/> says: a row per party
/// (<c>p|…</c>) and a lookup row per normalised key (<c>k|vat|BE0403170701|{connection}|{id}</c>), written together in one
/// entity-group transaction with an ETag check on the party row, so a search by VAT number, enterprise number, IBAN or
/// name is a range read of a few rows of one partition plus a point read per hit, and a party and its keys never disagree.
/// </summary>
public sealed class TableRelationStore : IRelationStore
{
    private const int MaxAttempts = 5;
    private readonly KoppelTable _table;

    public TableRelationStore(TableClient table) => _table = new KoppelTable(table);

    public async Task<RelationSyncState?> GetSyncStateAsync(string dossierId, string connectionId, CancellationToken cancellationToken)
    {
        var e = await _table.GetAsync(Partition(dossierId), RelationRows.SyncState(connectionId), cancellationToken);
        return e is null ? null : new RelationSyncState
        {
            DossierId = e.PartitionKey,
            ConnectionId = connectionId,
            Watermark = e.GetString("Watermark"),
            LastFullSyncAt = e.GetDateTimeOffset("LastFullSyncAt"),
            LastSyncAt = e.GetDateTimeOffset("LastSyncAt"),
            Parties = e.GetInt32("Parties") ?? 0,
            LedgerAccounts = e.GetInt32("LedgerAccounts") ?? 0,
            VatCodes = e.GetInt32("VatCodes") ?? 0,
        };
    }

    public Task SaveSyncStateAsync(RelationSyncState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entity = new TableEntity(Partition(state.DossierId), RelationRows.SyncState(state.ConnectionId))
        {
            ["Parties"] = state.Parties,
            ["LedgerAccounts"] = state.LedgerAccounts,
            ["VatCodes"] = state.VatCodes,
        };
        entity.SetIfNotNull("Watermark", state.Watermark);
        entity.SetIfNotNull("LastFullSyncAt", state.LastFullSyncAt);
        entity.SetIfNotNull("LastSyncAt", state.LastSyncAt);
        return _table.UpsertAsync(entity, cancellationToken);
    }

    public async Task<UpsertOutcome> UpsertPartyAsync(Party party, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(party);
        var partition = Partition(party.DossierId);
        var key = RelationRows.Party(party.ConnectionId, party.ProviderId);
        var client = await _table.ClientAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await _table.GetAsync(partition, key, cancellationToken);
            var storedParty = stored is null ? null : PartyFrom(stored);
            var outcome = RelationUpserts.Decide(storedParty, party);
            if (outcome is UpsertOutcome.Older or UpsertOutcome.Unchanged)
            {
                return outcome;
            }

            var wanted = RelationKeys.Of(party).Select(k => RelationRows.Lookup(k.Key, k.Value, party.ConnectionId, party.ProviderId)).ToHashSet(StringComparer.Ordinal);
            var gone = storedParty is null ? [] : RelationKeys.Of(storedParty).Select(k => RelationRows.Lookup(k.Key, k.Value, party.ConnectionId, party.ProviderId)).Where(k => !wanted.Contains(k)).ToList();
            var actions = new List<TableTransactionAction>
            {
                stored is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, ToEntity(party))
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(party), stored.ETag),
            };
            actions.AddRange(gone.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k), ETag.All)));
            actions.AddRange(wanted.Select(k => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, k) { ["Party"] = key })));
            try
            {
                await client.SubmitTransactionAsync(actions.Take(100), cancellationToken);
                return outcome;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status is 409 or 412 or 404 && attempt < MaxAttempts)
            {
                // Another sync stored it meanwhile: read it again and decide again.
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex > 0 && e.Status == 404)
            {
                // A lookup row to remove was gone already (removed by hand): the same writes, one by one.
                await client.UpsertEntityAsync(ToEntity(party), TableUpdateMode.Replace, cancellationToken);
                foreach (var k in gone)
                {
                    await _table.DeleteAsync(partition, k, cancellationToken);
                }

                foreach (var k in wanted)
                {
                    await client.UpsertEntityAsync(new TableEntity(partition, k) { ["Party"] = key }, TableUpdateMode.Replace, cancellationToken);
                }

                return outcome;
            }
        }
    }

    public async Task<Party?> GetPartyAsync(string dossierId, string connectionId, string providerId, CancellationToken cancellationToken)
    {
        var e = await _table.GetAsync(Partition(dossierId), RelationRows.Party(connectionId, providerId), cancellationToken);
        return e is null ? null : PartyFrom(e);
    }

    /// <summary>The party row and its lookup rows go in one transaction, guarded by the party row's ETag (a sync changing it meanwhile wins a retry).</summary>
    public async Task<bool> RemovePartyAsync(string dossierId, string connectionId, string providerId, CancellationToken cancellationToken)
    {
        var partition = Partition(dossierId);
        var key = RelationRows.Party(connectionId, providerId);
        var client = await _table.ClientAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            if (await _table.GetAsync(partition, key, cancellationToken) is not { } stored)
            {
                return false;
            }

            var party = PartyFrom(stored);
            var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Delete, new TableEntity(partition, key), stored.ETag) };
            actions.AddRange(RelationKeys.Of(party).Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, RelationRows.Lookup(k.Key, k.Value, connectionId, providerId)), ETag.All)));
            try
            {
                await client.SubmitTransactionAsync(actions.Take(100), cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex == 0 && e.Status is 404 or 412 && attempt < MaxAttempts)
            {
                // Changed or removed meanwhile: read it again.
            }
            catch (TableTransactionFailedException e) when (e.FailedTransactionActionIndex > 0 && e.Status == 404)
            {
                // A lookup row was gone already: the same deletes, one by one.
                await _table.DeleteAsync(partition, key, cancellationToken);
                foreach (var (k, v) in RelationKeys.Of(party))
                {
                    await _table.DeleteAsync(partition, RelationRows.Lookup(k, v, connectionId, providerId), cancellationToken);
                }

                return true;
            }
        }
    }

    public async Task<IReadOnlyList<Party>> FindAsync(string dossierId, string? connectionId, PartyKey key, string normalisedValue, CancellationToken cancellationToken)
    {
        var prefix = RelationRows.LookupPrefix(key, normalisedValue, exact: true, connectionId);
        var pointers = new List<string>();
        await foreach (var row in _table.QueryAsync(Range(dossierId, prefix), 100, cancellationToken))
        {
            pointers.Add(row.Required("Party"));
        }

        return [.. (await Task.WhenAll(pointers.Select(p => _table.GetAsync(Partition(dossierId), p, cancellationToken)))).OfType<TableEntity>().Select(PartyFrom)];
    }

    public async Task<Koppel.Core.Ports.Page<Party>> SearchAsync(string dossierId, PartySearch search, PageRequest page, CancellationToken cancellationToken)
    {
        var plan = RelationSearchPlan.For(search);
        var rows = await _table.QueryPageAsync(Range(dossierId, plan.Prefix), page, cancellationToken);
        IEnumerable<Party> parties;
        if (plan.Prefix.StartsWith("p|", StringComparison.Ordinal))
        {
            parties = rows.Items.Select(PartyFrom);
        }
        else
        {
            var found = await Task.WhenAll(rows.Items.Select(r => _table.GetAsync(Partition(dossierId), r.Required("Party"), cancellationToken)));
            parties = found.OfType<TableEntity>().Select(PartyFrom);
        }

        return new Koppel.Core.Ports.Page<Party>([.. parties.Where(plan.Fits)], rows.ContinuationToken);
    }

    public Task ReplaceLedgerAccountsAsync(string dossierId, string connectionId, IReadOnlyList<LedgerAccount> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        return ReplaceAsync(dossierId, RelationRows.LedgerAccountsOf(connectionId), accounts.DistinctBy(a => a.Code).Select(a =>
        {
            var entity = new TableEntity(Partition(dossierId), RelationRows.LedgerAccount(connectionId, a.Code))
            {
                ["ConnectionId"] = connectionId,
                ["Code"] = a.Code,
                ["Name"] = a.Name,
                ["Active"] = a.Active,
            };
            entity.SetIfNotNull("Kind", a.Kind);
            return entity;
        }).ToList(), cancellationToken);
    }

    public Task ReplaceVatCodesAsync(string dossierId, string connectionId, IReadOnlyList<VatCode> codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(codes);
        return ReplaceAsync(dossierId, RelationRows.VatCodesOf(connectionId), codes.DistinctBy(c => c.Code).Select(c =>
        {
            var entity = new TableEntity(Partition(dossierId), RelationRows.VatCode(connectionId, c.Code))
            {
                ["ConnectionId"] = connectionId,
                ["Code"] = c.Code,
                ["Active"] = c.Active,
            };
            entity.SetIfNotNull("Rate", EntityColumns.ToColumn(c.Rate));
            entity.SetIfNotNull("Description", c.Description);
            return entity;
        }).ToList(), cancellationToken);
    }

    public async Task<Koppel.Core.Ports.Page<LedgerAccount>> ListLedgerAccountsAsync(string dossierId, string? connectionId, PageRequest page, CancellationToken cancellationToken) =>
        (await _table.QueryPageAsync(Range(dossierId, RelationRows.LedgerAccountsOf(connectionId)), page, cancellationToken)).Select(e => new LedgerAccount
        {
            Code = e.Required("Code"),
            Name = e.GetString("Name") ?? string.Empty,
            Kind = e.GetString("Kind"),
            Active = e.GetBoolean("Active") ?? true,
            ConnectionId = e.GetString("ConnectionId"),
        });

    public async Task<Koppel.Core.Ports.Page<VatCode>> ListVatCodesAsync(string dossierId, string? connectionId, PageRequest page, CancellationToken cancellationToken) =>
        (await _table.QueryPageAsync(Range(dossierId, RelationRows.VatCodesOf(connectionId)), page, cancellationToken)).Select(e => new VatCode
        {
            Code = e.Required("Code"),
            Rate = EntityColumns.ToDecimal(e.GetString("Rate")),
            Description = e.GetString("Description"),
            Active = e.GetBoolean("Active") ?? true,
            ConnectionId = e.GetString("ConnectionId"),
        });

    private async Task ReplaceAsync(string dossierId, string prefix, IReadOnlyList<TableEntity> wanted, CancellationToken cancellationToken)
    {
        var keep = wanted.Select(w => w.RowKey).ToHashSet(StringComparer.Ordinal);
        var gone = new List<string>();
        await foreach (var row in _table.QueryAsync(Range(dossierId, prefix), 1000, cancellationToken))
        {
            if (!keep.Contains(row.RowKey))
            {
                gone.Add(row.RowKey);
            }
        }

        var actions = wanted.Select(w => new TableTransactionAction(TableTransactionActionType.UpsertReplace, w))
            .Concat(gone.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition(dossierId), k), ETag.All)))
            .ToList();
        var client = await _table.ClientAsync(cancellationToken);
        foreach (var chunk in actions.Chunk(100))
        {
            await client.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }

    private static string Partition(string dossierId) => TableKeys.Ensure(dossierId, nameof(dossierId));

    private static string Range(string dossierId, string prefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {Partition(dossierId)} and RowKey ge {prefix} and RowKey lt {RelationRows.End(prefix)}");

    private static TableEntity ToEntity(Party p)
    {
        var entity = new TableEntity(Partition(p.DossierId), RelationRows.Party(p.ConnectionId, p.ProviderId))
        {
            ["ConnectionId"] = p.ConnectionId,
            ["ProviderId"] = p.ProviderId,
            ["Name"] = p.Name,
            ["Kind"] = p.Kind.ToString(),
            ["Ibans"] = EntityColumns.ToJson(p.Ibans),
            ["Active"] = p.Active,
            ["SyncedAt"] = p.SyncedAt,
        };
        entity.SetIfNotNull("Code", p.Code);
        entity.SetIfNotNull("VatNumber", p.VatNumber);
        entity.SetIfNotNull("EnterpriseNumber", p.EnterpriseNumber);
        entity.SetIfNotNull("Email", p.Email);
        entity.SetIfNotNull("ModifiedAt", p.ModifiedAt);
        return entity;
    }

    private static Party PartyFrom(TableEntity e) => new()
    {
        DossierId = e.PartitionKey,
        ConnectionId = e.Required("ConnectionId"),
        ProviderId = e.Required("ProviderId"),
        Code = e.GetString("Code"),
        Name = e.GetString("Name") ?? string.Empty,
        Kind = e.GetEnum<PartyKind>("Kind"),
        VatNumber = e.GetString("VatNumber"),
        EnterpriseNumber = e.GetString("EnterpriseNumber"),
        Ibans = e.FromJson<List<string>>("Ibans", []),
        Email = e.GetString("Email"),
        Active = e.GetBoolean("Active") ?? true,
        ModifiedAt = e.GetDateTimeOffset("ModifiedAt"),
        SyncedAt = e.GetDateTimeOffset("SyncedAt") ?? default,
    };
}
