using Koppel.Core.Domain;
using Koppel.Core.Relations;

namespace Koppel.Core.Connectors;

/// <summary>
/// A connector that can read the customers and suppliers, ledger accounts and VAT codes of the connection's
/// administration (capabilities <see cref="ConnectorCapabilities.ReadRelations"/>, <see cref="ConnectorCapabilities.ReadLedgerAccounts"/>,
/// <see cref="ConnectorCapabilities.ReadVatCodes"/>). Parties are read incrementally: since a watermark the reader handed
/// out before (null: everything), a page at a time, under the provider's quota and rate limits.
/// </summary>
public interface IRelationReader
{
    /// <summary>
    /// One page of the parties changed since <paramref name="watermark"/>; <paramref name="pageToken"/> is the previous
    /// page's <see cref="PartyPage.NextPageToken"/> (null for the first page).
    /// </summary>
    Task<PartyPage> ReadPartiesAsync(RelationReadContext context, string? watermark, string? pageToken, CancellationToken cancellationToken);

    /// <summary>The administration's chart of accounts, whole (it is small).</summary>
    Task<ReferenceListResult<LedgerAccount>> ReadLedgerAccountsAsync(RelationReadContext context, CancellationToken cancellationToken);

    /// <summary>The administration's VAT codes, whole.</summary>
    Task<ReferenceListResult<VatCode>> ReadVatCodesAsync(RelationReadContext context, CancellationToken cancellationToken);
}

/// <summary>What a relation reader needs: the connection and its settings, and when the sync started (the next watermark of providers that filter by time).</summary>
public sealed record RelationReadContext(Dossier Dossier, Connection Connection, ConnectorSettings Settings, DateTimeOffset StartedAt);

/// <summary>
/// A page of parties as the provider gave them (not yet normalised: the store does that). <see cref="Watermark"/> is what
/// to store once this page is kept: a later sync asks from there. It may stay the old one until the last page (providers
/// that filter by a time, like Yuki, can only move on once every page is read).
/// </summary>
public sealed record PartyPage
{
    public IReadOnlyList<PartyData> Parties { get; init; } = [];

    /// <summary>
    /// The provider ids of parties the provider says were deleted since the watermark (Exact's <c>sync/Deleted</c>): they
    /// leave Koppel's relations too. Empty for a provider that does not report deletions.
    /// </summary>
    public IReadOnlyList<string> Removed { get; init; } = [];

    /// <summary>Null at the last page.</summary>
    public string? NextPageToken { get; init; }

    public string? Watermark { get; init; }

    public int Calls { get; init; }

    public DeliveryResult? Failure { get; init; }

    public static PartyPage Failed(DeliveryResult failure, int calls = 0) => new() { Failure = failure, Calls = calls };
}

/// <summary>A customer or supplier as a provider describes it.</summary>
public sealed record PartyData
{
    /// <summary>The provider's own id (Yuki contact id, Exact account id).</summary>
    public required string ProviderId { get; init; }

    /// <summary>The code users see (Yuki contact code, Exact account code), when there is one.</summary>
    public string? Code { get; init; }

    public required string Name { get; init; }

    public PartyKind Kind { get; init; } = PartyKind.Both;

    public string? VatNumber { get; init; }

    public string? EnterpriseNumber { get; init; }

    public IReadOnlyList<string> Ibans { get; init; } = [];

    public string? Email { get; init; }

    public bool Active { get; init; } = true;

    /// <summary>When the provider last changed it, when it says.</summary>
    public DateTimeOffset? ModifiedAt { get; init; }
}

/// <summary>A whole reference list (ledger accounts, VAT codes), or why it could not be read.</summary>
public sealed record ReferenceListResult<T>
{
    public IReadOnlyList<T> Items { get; init; } = [];

    public int Calls { get; init; }

    public DeliveryResult? Failure { get; init; }
}
