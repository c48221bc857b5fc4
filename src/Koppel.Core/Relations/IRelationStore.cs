using Koppel.Core.Ports;

namespace Koppel.Core.Relations;

/// <summary>
/// The synced customers and suppliers, ledger accounts and VAT codes of a dossier, per connection. Parties are kept
/// once each (per connection and provider id) plus one lookup row per normalised key (VAT number, enterprise number,
/// each IBAN, name), so a search or a match at booking reads a few rows of the dossier, never every party
/// (<see cref="RelationRows"/> is the layout).
/// </summary>
public interface IRelationStore
{
    Task<RelationSyncState?> GetSyncStateAsync(string dossierId, string connectionId, CancellationToken cancellationToken);

    Task SaveSyncStateAsync(RelationSyncState state, CancellationToken cancellationToken);

    /// <summary>
    /// Adds or updates the party and its lookup rows (a key it lost is removed). A stored party the provider changed later
    /// than <paramref name="party"/> is kept: an overlapping sync that finishes late does not undo a newer one.
    /// </summary>
    Task<UpsertOutcome> UpsertPartyAsync(Party party, CancellationToken cancellationToken);

    Task<Party?> GetPartyAsync(string dossierId, string connectionId, string providerId, CancellationToken cancellationToken);

    /// <summary>Removes the party and its lookup rows (the provider deleted it). False when it was not there.</summary>
    Task<bool> RemovePartyAsync(string dossierId, string connectionId, string providerId, CancellationToken cancellationToken);

    /// <summary>The parties whose <paramref name="key"/> is exactly <paramref name="normalisedValue"/> (of one connection when given).</summary>
    Task<IReadOnlyList<Party>> FindAsync(string dossierId, string? connectionId, PartyKey key, string normalisedValue, CancellationToken cancellationToken);

    /// <summary>A page of the dossier's parties that fit <paramref name="search"/> (all of them when it is empty); the name matches as a prefix.</summary>
    Task<Page<Party>> SearchAsync(string dossierId, PartySearch search, PageRequest page, CancellationToken cancellationToken);

    /// <summary>Makes the connection's stored ledger accounts exactly <paramref name="accounts"/>.</summary>
    Task ReplaceLedgerAccountsAsync(string dossierId, string connectionId, IReadOnlyList<LedgerAccount> accounts, CancellationToken cancellationToken);

    /// <summary>Makes the connection's stored VAT codes exactly <paramref name="codes"/>.</summary>
    Task ReplaceVatCodesAsync(string dossierId, string connectionId, IReadOnlyList<VatCode> codes, CancellationToken cancellationToken);

    Task<Page<LedgerAccount>> ListLedgerAccountsAsync(string dossierId, string? connectionId, PageRequest page, CancellationToken cancellationToken);

    Task<Page<VatCode>> ListVatCodesAsync(string dossierId, string? connectionId, PageRequest page, CancellationToken cancellationToken);
}

/// <summary>
/// The row layout of the relation store, shared by every adapter: all rows of a dossier in one partition (the dossier),
/// row keys by kind so each read is a point read or a range of one partition.
/// <list type="bullet">
/// <item><c>p|{connection}|{providerId}</c>: the party.</item>
/// <item><c>k|{vat|ent|iban|name}|{value}|{connection}|{providerId}</c>: a lookup row per normalised key, pointing at the party.</item>
/// <item><c>g|{connection}|{code}</c>, <c>v|{connection}|{code}</c>: ledger accounts, VAT codes.</item>
/// <item><c>s|{connection}</c>: the sync state (watermark).</item>
/// </list>
/// </summary>
public static class RelationRows
{
    public static string Party(string connectionId, string providerId) => $"p|{Escape(connectionId)}|{Escape(providerId)}";

    public static string PartiesOf(string? connectionId) => connectionId is null ? "p|" : $"p|{Escape(connectionId)}|";

    public static string Lookup(PartyKey key, string value, string connectionId, string providerId) =>
        $"{LookupPrefix(key, value, exact: true)}{Escape(connectionId)}|{Escape(providerId)}";

    /// <summary>The range of lookup rows of one value (<paramref name="exact"/>) or of every value starting with it.</summary>
    public static string LookupPrefix(PartyKey key, string value, bool exact, string? connectionId = null) =>
        $"k|{Tag(key)}|{Escape(value)}" + (exact ? "|" + (connectionId is null ? string.Empty : Escape(connectionId) + "|") : string.Empty);

    public static string LedgerAccount(string connectionId, string code) => $"g|{Escape(connectionId)}|{Escape(code)}";

    public static string LedgerAccountsOf(string? connectionId) => connectionId is null ? "g|" : $"g|{Escape(connectionId)}|";

    public static string VatCode(string connectionId, string code) => $"v|{Escape(connectionId)}|{Escape(code)}";

    public static string VatCodesOf(string? connectionId) => connectionId is null ? "v|" : $"v|{Escape(connectionId)}|";

    public static string SyncState(string connectionId) => $"s|{Escape(connectionId)}";

    /// <summary>The first row key after every key starting with <paramref name="prefix"/>.</summary>
    public static string End(string prefix) => prefix + '\uffff';

    /// <summary>The party a lookup row points at: (connection, provider id).</summary>
    public static (string ConnectionId, string ProviderId) Target(string lookupRowKey)
    {
        ArgumentNullException.ThrowIfNull(lookupRowKey);
        var parts = lookupRowKey.Split('|');
        return (Unescape(parts[^2]), Unescape(parts[^1]));
    }

    private static string Tag(PartyKey key) => key switch
    {
        PartyKey.VatNumber => "vat",
        PartyKey.EnterpriseNumber => "ent",
        PartyKey.Iban => "iban",
        _ => "name",
    };

    /// <summary>Table storage refuses / \ # ? and control characters in keys; '|' and '%' are the layout's own.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (NeedsEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 4 < text.Length && int.TryParse(text.AsSpan(i + 1, 4), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 4;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    private static bool NeedsEscape(char c) => c is '|' or '%' or '/' or '\\' or '#' or '?' || char.IsControl(c);
}
