using System.Net.Http.Json;
using System.Text.Json;

namespace Koppel.Server.Tests.Support;

/// <summary>Reads a paged list of the API as a client does: page after page until the continuation token is null.</summary>
public static class PagedLists
{
    public static async Task<JsonElement[]> GetItemsAsync(this HttpClient api, string path)
    {
        ArgumentNullException.ThrowIfNull(api);
        var items = new List<JsonElement>();
        string? token = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var page = await api.GetFromJsonAsync<JsonElement>(token is null ? path : $"{path}{separator}continuationToken={Uri.EscapeDataString(token)}");
            items.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.Clone()));
            token = page.GetProperty("continuationToken").GetString();
        }
        while (token is not null);

        return [.. items];
    }
}
