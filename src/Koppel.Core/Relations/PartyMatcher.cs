namespace Koppel.Core.Relations;

/// <summary>A document's customer or supplier as the document names it.</summary>
public sealed record PartyToMatch(PartyKind Kind, string? Name, string? VatNumber = null, string? EnterpriseNumber = null, IReadOnlyList<string>? Ibans = null)
{
    /// <summary>"customer" or "supplier".</summary>
    public string Role => Kind == PartyKind.Supplier ? "supplier" : "customer";
}

/// <summary>The party found for a document, and by which key.</summary>
public sealed record PartyMatch(Party Party, PartyKey Key, string Value)
{
    /// <summary>For the document history: "Customer matched by VAT number BE0403170701 → Yuki contact C001".</summary>
    public string Describe(string role, string providerName, string partyWord)
    {
        ArgumentNullException.ThrowIfNull(role);
        var what = Party.Code ?? Party.ProviderId;
        return $"{char.ToUpperInvariant(role[0])}{role[1..]} matched by {Key.Describe()} {Value} → {providerName} {partyWord} {what} ({Party.Name}).";
    }
}

/// <summary>What the synced relations say about a document's party.</summary>
public sealed record PartyLookup(PartyMatch? Match, bool Synced)
{
    public static PartyLookup NotSynced { get; } = new(null, false);
}

/// <summary>
/// Finds a document's customer or supplier among the connection's synced relations, in this order: VAT number,
/// enterprise number, IBAN, exact name (all normalised). Among several parties with the same key, an active one of the
/// right kind (customer for a sales invoice, supplier for a purchase invoice) wins, then by code.
/// </summary>
public sealed class PartyMatcher(IRelationStore store)
{
    public async Task<PartyLookup> MatchAsync(string dossierId, string connectionId, PartyToMatch wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var state = await store.GetSyncStateAsync(dossierId, connectionId, cancellationToken);
        if (state?.LastSyncAt is null && state?.Watermark is null)
        {
            return PartyLookup.NotSynced;
        }

        foreach (var (key, value) in Keys(wanted))
        {
            var found = await store.FindAsync(dossierId, connectionId, key, value, cancellationToken);
            var best = found
                .OrderByDescending(p => p.Active && p.Fits(wanted.Kind))
                .ThenByDescending(p => p.Fits(wanted.Kind))
                .ThenByDescending(p => p.Active)
                .ThenBy(p => p.Code ?? p.ProviderId, StringComparer.Ordinal)
                .FirstOrDefault();
            if (best is not null)
            {
                return new PartyLookup(new PartyMatch(best, key, value), true);
            }
        }

        return new PartyLookup(null, true);
    }

    /// <summary>The document's keys, normalised, in matching order.</summary>
    public static IEnumerable<(PartyKey Key, string Value)> Keys(PartyToMatch wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var vat = RelationKeys.Vat(wanted.VatNumber);
        if (vat is not null)
        {
            yield return (PartyKey.VatNumber, vat);
        }

        if ((RelationKeys.Enterprise(wanted.EnterpriseNumber) ?? RelationKeys.EnterpriseFromVat(vat)) is { } enterprise)
        {
            yield return (PartyKey.EnterpriseNumber, enterprise);
        }

        foreach (var iban in (wanted.Ibans ?? []).Select(RelationKeys.Iban).OfType<string>().Distinct(StringComparer.Ordinal))
        {
            yield return (PartyKey.Iban, iban);
        }

        if (RelationKeys.Name(wanted.Name) is { } name)
        {
            yield return (PartyKey.Name, name);
        }
    }
}
