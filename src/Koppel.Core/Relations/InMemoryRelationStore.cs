using Koppel.Core.Ports;

namespace Koppel.Core.Relations;

/// <summary>
/// The relation store in this process only (tests, the bench, a host without storage), laid out like the table
/// (<see cref="RelationRows"/>): one sorted map of row keys per dossier.
/// </summary>
public sealed class InMemoryRelationStore : IRelationStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedDictionary<string, object>> _dossiers = new(StringComparer.Ordinal);

    /// <summary>Reads of rows so far (a point read or one row of a range), for tests that look at what a search costs.</summary>
    public int RowsRead { get; private set; }

    public Task<RelationSyncState?> GetSyncStateAsync(string dossierId, string connectionId, CancellationToken cancellationToken) =>
        Task.FromResult(Get<RelationSyncState>(dossierId, RelationRows.SyncState(connectionId)));

    public Task SaveSyncStateAsync(RelationSyncState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_lock)
        {
            Rows(state.DossierId)[RelationRows.SyncState(state.ConnectionId)] = state;
        }

        return Task.CompletedTask;
    }

    public Task<UpsertOutcome> UpsertPartyAsync(Party party, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(party);
        lock (_lock)
        {
            var rows = Rows(party.DossierId);
            var key = RelationRows.Party(party.ConnectionId, party.ProviderId);
            var stored = rows.GetValueOrDefault(key) as Party;
            var outcome = RelationUpserts.Decide(stored, party);
            if (outcome is UpsertOutcome.Older or UpsertOutcome.Unchanged)
            {
                return Task.FromResult(outcome);
            }

            if (stored is not null)
            {
                foreach (var (k, v) in RelationKeys.Of(stored))
                {
                    rows.Remove(RelationRows.Lookup(k, v, stored.ConnectionId, stored.ProviderId));
                }
            }

            rows[key] = party;
            foreach (var (k, v) in RelationKeys.Of(party))
            {
                rows[RelationRows.Lookup(k, v, party.ConnectionId, party.ProviderId)] = key;
            }

            return Task.FromResult(outcome);
        }
    }

    public Task<Party?> GetPartyAsync(string dossierId, string connectionId, string providerId, CancellationToken cancellationToken) =>
        Task.FromResult(Get<Party>(dossierId, RelationRows.Party(connectionId, providerId)));

    public Task<bool> RemovePartyAsync(string dossierId, string connectionId, string providerId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var rows = Rows(dossierId);
            var key = RelationRows.Party(connectionId, providerId);
            if (rows.GetValueOrDefault(key) is not Party stored)
            {
                return Task.FromResult(false);
            }

            foreach (var (k, v) in RelationKeys.Of(stored))
            {
                rows.Remove(RelationRows.Lookup(k, v, stored.ConnectionId, stored.ProviderId));
            }

            rows.Remove(key);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<Party>> FindAsync(string dossierId, string? connectionId, PartyKey key, string normalisedValue, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var prefix = RelationRows.LookupPrefix(key, normalisedValue, exact: true, connectionId);
            var found = Range(dossierId, prefix, after: null)
                .Select(r => Get<Party>(dossierId, (string)r.Value))
                .OfType<Party>()
                .ToList();
            return Task.FromResult<IReadOnlyList<Party>>(found);
        }
    }

    public Task<Page<Party>> SearchAsync(string dossierId, PartySearch search, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(search);
        ArgumentNullException.ThrowIfNull(page);
        lock (_lock)
        {
            var plan = RelationSearchPlan.For(search);
            var items = new List<Party>();
            string? last = null;
            var more = false;
            foreach (var row in Range(dossierId, plan.Prefix, page.ContinuationToken))
            {
                if (items.Count == page.Size)
                {
                    more = true;
                    break;
                }

                last = row.Key;
                var party = row.Value as Party ?? Get<Party>(dossierId, (string)row.Value);
                if (party is not null && plan.Fits(party))
                {
                    items.Add(party);
                }
            }

            return Task.FromResult(new Page<Party>(items, more ? last : null));
        }
    }

    public Task ReplaceLedgerAccountsAsync(string dossierId, string connectionId, IReadOnlyList<LedgerAccount> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        Replace(dossierId, RelationRows.LedgerAccountsOf(connectionId), accounts.ToDictionary(a => RelationRows.LedgerAccount(connectionId, a.Code), a => (object)(a with { ConnectionId = connectionId })));
        return Task.CompletedTask;
    }

    public Task ReplaceVatCodesAsync(string dossierId, string connectionId, IReadOnlyList<VatCode> codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(codes);
        Replace(dossierId, RelationRows.VatCodesOf(connectionId), codes.ToDictionary(c => RelationRows.VatCode(connectionId, c.Code), c => (object)(c with { ConnectionId = connectionId })));
        return Task.CompletedTask;
    }

    public Task<Page<LedgerAccount>> ListLedgerAccountsAsync(string dossierId, string? connectionId, PageRequest page, CancellationToken cancellationToken) =>
        Task.FromResult(List<LedgerAccount>(dossierId, RelationRows.LedgerAccountsOf(connectionId), page));

    public Task<Page<VatCode>> ListVatCodesAsync(string dossierId, string? connectionId, PageRequest page, CancellationToken cancellationToken) =>
        Task.FromResult(List<VatCode>(dossierId, RelationRows.VatCodesOf(connectionId), page));

    private Page<T> List<T>(string dossierId, string prefix, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(page);
        lock (_lock)
        {
            var rows = Range(dossierId, prefix, page.ContinuationToken).Take(page.Size + 1).ToList();
            var items = rows.Take(page.Size).Select(r => (T)r.Value).ToList();
            return new Page<T>(items, rows.Count > page.Size ? rows[page.Size - 1].Key : null);
        }
    }

    private void Replace(string dossierId, string prefix, Dictionary<string, object> wanted)
    {
        lock (_lock)
        {
            var rows = Rows(dossierId);
            foreach (var gone in rows.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !wanted.ContainsKey(k)).ToList())
            {
                rows.Remove(gone);
            }

            foreach (var (key, value) in wanted)
            {
                rows[key] = value;
            }
        }
    }

    private IEnumerable<KeyValuePair<string, object>> Range(string dossierId, string prefix, string? after)
    {
        if (!_dossiers.TryGetValue(dossierId, out var rows))
        {
            yield break;
        }

        if (after is not null && !after.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new InvalidContinuationTokenException();
        }

        foreach (var row in rows.Where(r => r.Key.StartsWith(prefix, StringComparison.Ordinal) && (after is null || string.CompareOrdinal(r.Key, after) > 0)).ToList())
        {
            RowsRead++;
            yield return row;
        }
    }

    private T? Get<T>(string dossierId, string rowKey)
        where T : class
    {
        lock (_lock)
        {
            RowsRead++;
            return _dossiers.TryGetValue(dossierId, out var rows) ? rows.GetValueOrDefault(rowKey) as T : null;
        }
    }

    private SortedDictionary<string, object> Rows(string dossierId)
    {
        if (!_dossiers.TryGetValue(dossierId, out var rows))
        {
            _dossiers[dossierId] = rows = new SortedDictionary<string, object>(StringComparer.Ordinal);
        }

        return rows;
    }
}

/// <summary>Which rows a search reads and which parties it keeps: the first key given picks the lookup range, the others filter.</summary>
public sealed record RelationSearchPlan(string Prefix, PartySearch Search)
{
    public static RelationSearchPlan For(PartySearch search)
    {
        ArgumentNullException.ThrowIfNull(search);
        var normal = new PartySearch(
            RelationKeys.Vat(search.VatNumber) ?? Keep(search.VatNumber),
            RelationKeys.Enterprise(search.EnterpriseNumber) ?? Keep(search.EnterpriseNumber),
            RelationKeys.Iban(search.Iban),
            RelationKeys.Name(search.Name),
            search.ConnectionId);
        var prefix = normal switch
        {
            { VatNumber: { } vat } => RelationRows.LookupPrefix(PartyKey.VatNumber, vat, exact: true, normal.ConnectionId),
            { EnterpriseNumber: { } enterprise } => RelationRows.LookupPrefix(PartyKey.EnterpriseNumber, enterprise, exact: true, normal.ConnectionId),
            { Iban: { } iban } => RelationRows.LookupPrefix(PartyKey.Iban, iban, exact: true, normal.ConnectionId),
            { Name: { } name } => RelationRows.LookupPrefix(PartyKey.Name, name, exact: false),
            _ => RelationRows.PartiesOf(normal.ConnectionId),
        };
        return new RelationSearchPlan(prefix, normal);
    }

    public bool Fits(Party party)
    {
        ArgumentNullException.ThrowIfNull(party);
        return (Search.ConnectionId is null || party.ConnectionId == Search.ConnectionId)
            && (Search.VatNumber is null || party.VatNumber == Search.VatNumber)
            && (Search.EnterpriseNumber is null || party.EnterpriseNumber == Search.EnterpriseNumber)
            && (Search.Iban is null || party.Ibans.Contains(Search.Iban, StringComparer.Ordinal))
            && (Search.Name is null || (RelationKeys.Name(party.Name) ?? string.Empty).StartsWith(Search.Name, StringComparison.Ordinal));
    }

    // A value that does not normalise (a typo) must find nothing, not everything.
    private static string? Keep(string? text) => string.IsNullOrWhiteSpace(text) ? null : "?" + text.Trim();
}

/// <summary>The one rule of what an upsert does, for every adapter.</summary>
public static class RelationUpserts
{
    private static readonly string[] NoIbans = [];

    public static UpsertOutcome Decide(Party? stored, Party incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (stored is null)
        {
            return UpsertOutcome.Added;
        }

        if (stored.ModifiedAt is { } was && incoming.ModifiedAt is { } now && was > now)
        {
            return UpsertOutcome.Older;
        }

        return Same(stored, incoming) ? UpsertOutcome.Unchanged : UpsertOutcome.Updated;
    }

    /// <summary>Equal in everything the provider said (the time Koppel synced it aside).</summary>
    public static bool Same(Party a, Party b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a with { Ibans = NoIbans, SyncedAt = default } == b with { Ibans = NoIbans, SyncedAt = default }
            && a.Ibans.SequenceEqual(b.Ibans, StringComparer.Ordinal);
    }
}
