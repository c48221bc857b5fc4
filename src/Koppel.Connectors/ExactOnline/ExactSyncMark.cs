using System.Globalization;

namespace Koppel.Connectors.ExactOnline;

/// <summary>
/// Where an Exact relation sync stands: the last <c>Timestamp</c> read from <c>sync/CRM/Accounts</c> and from
/// <c>sync/Deleted</c>, kept as the connection's watermark <c>"{accounts}/{deletions}"</c>. A watermark of one number
/// (written before deletions were read) is the accounts' alone; deletions are then read from the start, once.
/// Page tokens say which part comes next: <c>a{timestamp}</c> for accounts, <c>d{accounts}:{timestamp}</c> for deletions.
/// </summary>
internal sealed record ExactSyncMark(long Accounts, long Deletions)
{
    /// <summary><c>EntityType</c> of an account in <c>sync/Deleted</c>.</summary>
    public const int AccountEntityType = 2;

    /// <summary>
    /// Accounts whose bank accounts one <c>crm/BankAccounts</c> call asks for (a filter of account ids joined by
    /// <c>or</c>, kept short enough for a URL). Not a published limit: Koppel's choice, easy to change.
    /// </summary>
    public const int AccountsPerBankAccountCall = 20;

    public static ExactSyncMark Parse(string? watermark)
    {
        if (string.IsNullOrWhiteSpace(watermark))
        {
            return new(1, 1);
        }

        var parts = watermark.Split('/');
        return new(Number(parts[0]) ?? 1, parts.Length > 1 ? Number(parts[1]) ?? 1 : 1);
    }

    /// <summary>What the page <paramref name="pageToken"/> asks for (the first page: accounts from the watermark).</summary>
    public static ExactSyncStep Step(string? pageToken, ExactSyncMark mark)
    {
        ArgumentNullException.ThrowIfNull(mark);
        if (pageToken is { Length: > 1 } && pageToken[0] == 'd' && pageToken[1..].Split(':') is [var accounts, var from])
        {
            return new(true, Number(from) ?? mark.Deletions, Number(accounts) ?? mark.Accounts);
        }

        var since = pageToken is { Length: > 1 } && pageToken[0] == 'a' ? Number(pageToken[1..]) : Number(pageToken);
        return new(false, since ?? mark.Accounts, since ?? mark.Accounts);
    }

    public string AccountsToken() => "a" + Accounts.ToString(CultureInfo.InvariantCulture);

    public string DeletionsToken() => $"d{Accounts.ToString(CultureInfo.InvariantCulture)}:{Deletions.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => $"{Accounts.ToString(CultureInfo.InvariantCulture)}/{Deletions.ToString(CultureInfo.InvariantCulture)}";

    private static long? Number(string? text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}

/// <summary>One page of a relation sync: deletions or accounts, from which Timestamp, and the accounts' Timestamp so far.</summary>
internal readonly record struct ExactSyncStep(bool Deletions, long From, long Accounts);
