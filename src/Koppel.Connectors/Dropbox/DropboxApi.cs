using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace Koppel.Connectors.Dropbox;

/// <summary>
/// Dropbox API v2 on the RPC host (<c>api.dropboxapi.com</c>): the token endpoint and the metadata calls, JSON in and out.
/// Every call answers <see cref="IApiResponse{T}"/>, so the caller sees status, Retry-After and the error body.
/// </summary>
internal interface IDropboxApi
{
    [Post("/oauth2/token")]
    Task<IApiResponse<DropboxTokenResponse>> TokenAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);

    [Post("/2/users/get_current_account")]
    Task<IApiResponse<DropboxAccount>> CurrentAccountAsync([Authorize] string token, CancellationToken cancellationToken);

    [Post("/2/files/get_metadata")]
    Task<IApiResponse<DropboxFileMetadata>> MetadataAsync([Authorize] string token, [Header(DropboxJson.PathRootHeader)] string? pathRoot, [Body] DropboxPathArg arg, CancellationToken cancellationToken);
}

/// <summary>
/// Dropbox API v2 on the content host (<c>content.dropboxapi.com</c>): arguments as JSON in the <c>Dropbox-API-Arg</c>
/// header, the file's bytes as the body (<c>application/octet-stream</c>).
/// </summary>
internal interface IDropboxContent
{
    [Post("/2/files/upload")]
    Task<IApiResponse<DropboxFileMetadata>> UploadAsync([Authorize] string token, [Header(DropboxJson.PathRootHeader)] string? pathRoot, [Header(DropboxJson.ArgHeader)] string arg, [Body] HttpContent content, CancellationToken cancellationToken);

    [Post("/2/files/upload_session/start")]
    Task<IApiResponse<DropboxSessionStart>> StartSessionAsync([Authorize] string token, [Header(DropboxJson.PathRootHeader)] string? pathRoot, [Header(DropboxJson.ArgHeader)] string arg, [Body] HttpContent content, CancellationToken cancellationToken);

    [Post("/2/files/upload_session/append_v2")]
    Task<IApiResponse> AppendAsync([Authorize] string token, [Header(DropboxJson.PathRootHeader)] string? pathRoot, [Header(DropboxJson.ArgHeader)] string arg, [Body] HttpContent content, CancellationToken cancellationToken);

    [Post("/2/files/upload_session/finish")]
    Task<IApiResponse<DropboxFileMetadata>> FinishSessionAsync([Authorize] string token, [Header(DropboxJson.PathRootHeader)] string? pathRoot, [Header(DropboxJson.ArgHeader)] string arg, [Body] HttpContent content, CancellationToken cancellationToken);
}

/// <summary>Dropbox's JSON: snake_case names, nulls left out; header arguments with every non-ASCII character escaped (as Dropbox requires).</summary>
internal static class DropboxJson
{
    public const string ArgHeader = "Dropbox-API-Arg";
    public const string PathRootHeader = "Dropbox-API-Path-Root";

    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static RefitSettings RefitSettings { get; } = new(new SystemTextJsonContentSerializer(Options));

    /// <summary>The argument for a content call's header (System.Text.Json escapes non-ASCII as \uXXXX by default).</summary>
    public static string Arg<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>The path-root header that points every path at a team space's root namespace; null for the user's own space.</summary>
    public static string? PathRoot(string? namespaceId) =>
        namespaceId is null ? null : JsonSerializer.Serialize(new Dictionary<string, string> { [".tag"] = "root", ["root"] = namespaceId });
}

internal sealed record DropboxTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("account_id")] string? AccountId);

internal sealed record DropboxAccount(
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("name")] DropboxName? Name,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("root_info")] DropboxRootInfo? RootInfo,
    [property: JsonPropertyName("team")] DropboxTeam? Team);

internal sealed record DropboxName([property: JsonPropertyName("display_name")] string? DisplayName);

internal sealed record DropboxRootInfo(
    [property: JsonPropertyName(".tag")] string? Tag,
    [property: JsonPropertyName("root_namespace_id")] string? RootNamespaceId,
    [property: JsonPropertyName("home_namespace_id")] string? HomeNamespaceId);

internal sealed record DropboxTeam([property: JsonPropertyName("name")] string? Name);

internal sealed record DropboxPathArg([property: JsonPropertyName("path")] string Path);

internal sealed record DropboxFileMetadata(
    [property: JsonPropertyName(".tag")] string? Tag,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("path_display")] string? PathDisplay,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("content_hash")] string? ContentHash);

/// <summary>
/// <c>files/upload</c> and the commit of <c>upload_session/finish</c>: always add, never rename, never overwrite. Dropbox
/// does not count the same content under the same name as a conflict (unless <c>strict_conflict</c>), so a repeated upload
/// of our own file answers the file that is there.
/// </summary>
internal sealed record DropboxCommit(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("mode")] string Mode = "add",
    [property: JsonPropertyName("autorename")] bool Autorename = false,
    [property: JsonPropertyName("mute")] bool Mute = true,
    [property: JsonPropertyName("strict_conflict")] bool StrictConflict = false);

internal sealed record DropboxSessionStartArg([property: JsonPropertyName("close")] bool Close);

internal sealed record DropboxSessionStart([property: JsonPropertyName("session_id")] string? SessionId);

internal sealed record DropboxCursor([property: JsonPropertyName("session_id")] string SessionId, [property: JsonPropertyName("offset")] long Offset);

internal sealed record DropboxAppendArg([property: JsonPropertyName("cursor")] DropboxCursor Cursor, [property: JsonPropertyName("close")] bool Close);

internal sealed record DropboxFinishArg([property: JsonPropertyName("cursor")] DropboxCursor Cursor, [property: JsonPropertyName("commit")] DropboxCommit Commit);

/// <summary>An error answer: <c>{"error_summary": "path/conflict/file/..", "error": {...}}</c> or the token endpoint's <c>{"error": "invalid_grant", "error_description": ...}</c>.</summary>
internal sealed record DropboxError(string? Summary, string? OAuthError, string? OAuthDescription)
{
    public static DropboxError Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new(null, null, null);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new(null, null, null);
            }

            string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return new(Text("error_summary"), Text("error"), Text("error_description"));
        }
        catch (JsonException)
        {
            // Dropbox answers some 400s in plain text.
            return new(body.Length > 200 ? body[..200] : body, null, null);
        }
    }

    public bool Is(string prefix) => Summary?.StartsWith(prefix, StringComparison.Ordinal) == true;

    public bool Mentions(string part) => Summary?.Contains(part, StringComparison.Ordinal) == true;
}
