using Koppel.Core.Connectors;
using Koppel.Core.Ports;

namespace Koppel.Core.Relations;

/// <summary>Whether a party buys from the dossier, sells to it, or both.</summary>
public enum PartyKind
{
    Customer,
    Supplier,
    Both,
}

/// <summary>
/// A customer or supplier of a dossier as one connection's accounting package knows it, with its identifying keys
/// normalised (<see cref="RelationKeys"/>): one row per dossier, connection and provider id.
/// </summary>
public sealed record Party
{
    public required string DossierId { get; init; }

    public required string ConnectionId { get; init; }

    /// <summary>The provider's own id: what a booking names (Yuki contact id, Exact account id).</summary>
    public required string ProviderId { get; init; }

    public string? Code { get; init; }

    public required string Name { get; init; }

    public PartyKind Kind { get; init; } = PartyKind.Both;

    /// <summary>Normalised: country prefix and digits/letters, upper case ("BE0403170701").</summary>
    public string? VatNumber { get; init; }

    /// <summary>Belgian enterprise number (KBO/BCE), ten digits ("0403170701"); taken from a Belgian VAT number when the provider gives none.</summary>
    public string? EnterpriseNumber { get; init; }

    /// <summary>Normalised: upper case, no spaces.</summary>
    public IReadOnlyList<string> Ibans { get; init; } = [];

    public string? Email { get; init; }

    public bool Active { get; init; } = true;

    /// <summary>When the provider last changed it (as it said), used so an older sync finishing late does not undo a newer one.</summary>
    public DateTimeOffset? ModifiedAt { get; init; }

    public DateTimeOffset SyncedAt { get; init; }

    public bool Fits(PartyKind wanted) => Kind == PartyKind.Both || Kind == wanted;

    /// <summary>The party a provider described, normalised for storage and search.</summary>
    public static Party From(string dossierId, string connectionId, PartyData data, DateTimeOffset syncedAt)
    {
        ArgumentNullException.ThrowIfNull(data);
        var vat = RelationKeys.Vat(data.VatNumber);
        return new Party
        {
            DossierId = dossierId,
            ConnectionId = connectionId,
            ProviderId = data.ProviderId.Trim(),
            Code = string.IsNullOrWhiteSpace(data.Code) ? null : data.Code.Trim(),
            Name = data.Name.Trim(),
            Kind = data.Kind,
            VatNumber = vat,
            EnterpriseNumber = RelationKeys.Enterprise(data.EnterpriseNumber) ?? RelationKeys.EnterpriseFromVat(vat),
            Ibans = [.. data.Ibans.Select(RelationKeys.Iban).OfType<string>().Distinct(StringComparer.Ordinal)],
            Email = string.IsNullOrWhiteSpace(data.Email) ? null : data.Email.Trim(),
            Active = data.Active,
            ModifiedAt = data.ModifiedAt,
            SyncedAt = syncedAt,
        };
    }
}

/// <summary>A ledger (GL) account of the connection's administration.</summary>
public sealed record LedgerAccount
{
    public required string Code { get; init; }

    public required string Name { get; init; }

    /// <summary>The provider's word for its kind ("balance", "profit and loss", "revenue"…), when it says.</summary>
    public string? Kind { get; init; }

    public bool Active { get; init; } = true;

    /// <summary>The connection it was read from (set by the store).</summary>
    public string? ConnectionId { get; init; }
}

/// <summary>A VAT code of the connection's administration.</summary>
public sealed record VatCode
{
    public required string Code { get; init; }

    /// <summary>The percentage (21 for 21 %), when the provider says.</summary>
    public decimal? Rate { get; init; }

    public string? Description { get; init; }

    public bool Active { get; init; } = true;

    public string? ConnectionId { get; init; }
}

/// <summary>Where a connection's relation sync stands: the watermark to go on from and what the last sync did.</summary>
public sealed record RelationSyncState
{
    public required string DossierId { get; init; }

    public required string ConnectionId { get; init; }

    /// <summary>The reader's watermark (null: never synced, the next sync reads everything).</summary>
    public string? Watermark { get; init; }

    public DateTimeOffset? LastFullSyncAt { get; init; }

    public DateTimeOffset? LastSyncAt { get; init; }

    public int Parties { get; init; }

    public int LedgerAccounts { get; init; }

    public int VatCodes { get; init; }
}

/// <summary>What a party upsert did.</summary>
public enum UpsertOutcome
{
    Added,
    Updated,
    Unchanged,

    /// <summary>The stored party is newer (an overlapping sync got there first); kept as it is.</summary>
    Older,
}

/// <summary>The keys a party is found by, in the order a booking tries them.</summary>
public enum PartyKey
{
    VatNumber,
    EnterpriseNumber,
    Iban,
    Name,
}

/// <summary>A search of a dossier's parties: each given key must match (normalised); the name matches as a prefix.</summary>
public sealed record PartySearch(string? VatNumber = null, string? EnterpriseNumber = null, string? Iban = null, string? Name = null, string? ConnectionId = null)
{
    public bool IsEmpty => VatNumber is null && EnterpriseNumber is null && Iban is null && Name is null;
}

/// <summary>The queued work of one relation sync: one connection of one dossier.</summary>
public sealed record RelationSyncJob
{
    public required string DossierId { get; init; }

    public required string ConnectionId { get; init; }

    /// <summary>Read everything, not only what changed since the watermark.</summary>
    public bool Full { get; init; }

    /// <summary>The slot this sync is for, or "manual".</summary>
    public string Slot { get; init; } = "manual";

    /// <summary>Who asked: "system" for the nightly sync, else the API caller.</summary>
    public string RequestedBy { get; init; } = "system";

    public DateTimeOffset EnqueuedAt { get; init; }
}

/// <summary>Where relation sync jobs wait: a storage queue (<c>{prefix}relationsyncs</c>) read by the server's pump or the Functions queue trigger.</summary>
public interface IRelationSyncQueue
{
    Task EnqueueAsync(RelationSyncJob job, CancellationToken cancellationToken);
}

/// <summary>Sync jobs kept in this process (tests, a host without storage, which then runs them itself or not at all).</summary>
public sealed class InMemoryRelationSyncQueue : InMemoryJobQueue<RelationSyncJob>, IRelationSyncQueue;
