using System.Security.Cryptography;
using System.Text.Json;
using Koppel.Api.Functions;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Koppel.Api;

/// <summary>What every list answers: one page of items and the token for the next page (null on the last page).</summary>
public sealed record PagedResponse<T>(IReadOnlyList<T> Items, string? ContinuationToken);

/// <summary>
/// The paging parameters of a list request, <c>?pageSize=</c> (1 to 1000, default 100) and <c>?continuationToken=</c>
/// (as the previous page answered it), read the same way by both hosts.
/// </summary>
public sealed record PageQuery(int? PageSize, string? ContinuationToken)
{
    public const string PageSizeParameter = "pageSize";
    public const string ContinuationTokenParameter = "continuationToken";

    public static PageQuery First { get; } = new(null, null);

    public static PageQuery From(HttpRequest request) =>
        new(ApiQuery.Number(request, PageSizeParameter), ApiQuery.Text(request, ContinuationTokenParameter));
}

/// <summary>
/// Seals the stores' continuation tokens before a client sees them, with the host's Data Protection key ring
/// (authenticated encryption): a token cannot be read, made up or changed, and it is bound to the list it came from,
/// the dossier and the filter (its scope). A token that is garbage, tampered with, or from another list or dossier is a
/// 400 naming <c>continuationToken</c>, never a 500, and never reaches the store.
/// </summary>
public sealed class PageTokens(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("Koppel.Api.ContinuationToken.v1");

    /// <summary>The page the query asks for, with the store's own token unsealed; a bad size or token is a 400 naming it.</summary>
    public PageRequest Read(PageQuery query, string scope)
    {
        ArgumentNullException.ThrowIfNull(query);
        var size = query.PageSize ?? PageRequest.DefaultSize;
        if (size is < 1 or > PageRequest.MaxSize)
        {
            throw new RequestValidationException(PageQuery.PageSizeParameter, $"'{size}' is not a page size: give a whole number from 1 to {PageRequest.MaxSize} (default {PageRequest.DefaultSize}).");
        }

        return new PageRequest(size, query.ContinuationToken is { } token ? Unseal(token, scope) : null);
    }

    /// <summary>The answer for a page: its items mapped for the client and the store's token sealed to the scope.</summary>
    public PagedResponse<TItem> Answer<TSource, TItem>(Page<TSource> page, Func<TSource, TItem> map, string scope)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(map);
        var token = page.ContinuationToken is { } next ? _protector.Protect(JsonSerializer.Serialize(new Sealed(scope, next))) : null;
        return new PagedResponse<TItem>(page.Items.Select(map).ToList(), token);
    }

    private string Unseal(string token, string scope)
    {
        Sealed? payload;
        try
        {
            payload = JsonSerializer.Deserialize<Sealed>(_protector.Unprotect(token));
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            payload = null;
        }

        if (payload is null || string.IsNullOrEmpty(payload.T))
        {
            throw new RequestValidationException(PageQuery.ContinuationTokenParameter, "This continuation token was not handed out by Koppel or was changed; start again without one.");
        }

        return payload.S == scope
            ? payload.T
            : throw new RequestValidationException(PageQuery.ContinuationTokenParameter, "This continuation token belongs to another list (another dossier or filter); start again without one.");
    }

    /// <summary>The sealed content: the scope the token is valid for and the store's token.</summary>
    private sealed record Sealed(string S, string T);
}
