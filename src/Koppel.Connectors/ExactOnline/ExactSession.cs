using System.Globalization;
using Koppel.Core.Connectors;
using Microsoft.Extensions.Caching.Memory;
using Refit;

namespace Koppel.Connectors.ExactOnline;

/// <summary>
/// Exact's API for one consent and division, for the length of one delivery or test: signs every call with the
/// consent's access token, reads the answer's rate-limit headers and turns a refusal into an <see cref="ExactFailure"/>.
/// Look-ups that rarely change (the division check, GL accounts, the postbox address) are remembered for a while.
/// </summary>
internal sealed class ExactSession(
    IExactOnlineApi api,
    ExactTokens tokens,
    ExactRateLimits limits,
    IMemoryCache cache,
    ExactOnlineOptions options,
    TimeProvider clock,
    string consentId,
    int division)
{
    public IExactOnlineApi Api => api;

    public int Division => division;

    public async Task<T> CallAsync<T>(string what, Func<string, Task<IApiResponse<T>>> call, CancellationToken cancellationToken)
    {
        var token = await tokens.AccessTokenAsync(api, consentId, cancellationToken);
        using var response = await call(token);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            tokens.Forget(consentId);
        }

        return ExactResponses.Check(response, what, limits, division, clock);
    }

    /// <summary>Fails with a clear message when the Exact user cannot reach the connection's division (any more).</summary>
    public async Task EnsureDivisionAsync(CancellationToken cancellationToken)
    {
        var key = $"exact-online:division-ok:{consentId}:{division}";
        if (cache.TryGetValue(key, out _))
        {
            return;
        }

        var found = await CallAsync(
            "division check",
            t => api.DivisionsAsync(t, division, "Code,Description", $"Code eq {division.ToString(CultureInfo.InvariantCulture)}", cancellationToken),
            cancellationToken);
        if (found.Items.Count == 0)
        {
            throw new ExactFailure(
                DeliveryResult.ConnectionBroken($"Division {division} is not among the divisions the Exact user of this connection can reach; run the connection test and pick a division again."),
                credentialsRejected: true);
        }

        cache.Set(key, true, options.LookupCacheDuration);
    }

    public async Task<Guid> GLAccountIdAsync(string code, CancellationToken cancellationToken)
    {
        var key = $"exact-online:gl:{consentId}:{division}:{code}";
        if (cache.TryGetValue(key, out Guid id))
        {
            return id;
        }

        var found = await CallAsync(
            "GL account look-up",
            t => api.GLAccountsAsync(t, division, $"Code eq {OData.Literal(code)}", "ID,Code,Description", cancellationToken),
            cancellationToken);
        id = found.FirstOrNull?.ID
            ?? throw new ExactFailure(DeliveryResult.Permanent($"GL account '{code}' does not exist in Exact division {division}; correct the connection's GL account setting."));
        cache.Set(key, id, options.LookupCacheDuration);
        return id;
    }

    /// <summary>The address of the division's digital postbox (it looks like an e-mail address but is not one).</summary>
    public async Task<string> PostboxAddressAsync(CancellationToken cancellationToken)
    {
        var key = $"exact-online:postbox:{consentId}:{division}";
        if (cache.TryGetValue(key, out string? address) && address is not null)
        {
            return address;
        }

        var found = await CallAsync(
            "postbox look-up",
            t => api.MailboxesAsync(t, division, $"ForDivision eq {division.ToString(CultureInfo.InvariantCulture)}", "ID,Mailbox,ForDivision,Description", cancellationToken),
            cancellationToken);
        address = found.Items.Select(m => m.Mailbox).FirstOrDefault(m => !string.IsNullOrWhiteSpace(m))
            ?? throw new ExactFailure(DeliveryResult.Permanent($"Exact division {division} has no digital postbox; activate it in Exact (or book invoices instead of sending them to the postbox)."));
        cache.Set(key, address, options.LookupCacheDuration);
        return address;
    }
}

/// <summary>OData v3 literals for <c>$filter</c>.</summary>
internal static class OData
{
    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    public static string Literal(Guid id) => "guid'" + id.ToString("D", CultureInfo.InvariantCulture) + "'";
}
