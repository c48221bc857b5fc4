using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace Koppel.Connectors.OneDrive;

/// <summary>The Microsoft identity platform's token endpoint (v2.0), per tenant.</summary>
internal interface IEntraLogin
{
    [Post("/{tenant}/oauth2/v2.0/token")]
    Task<IApiResponse<EntraTokenResponse>> TokenAsync(string tenant, [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken);
}

/// <summary>
/// Microsoft Graph v1.0 as far as Koppel uses it: the user, their drives, items addressed by path, simple upload and
/// upload sessions. Every call answers <see cref="IApiResponse{T}"/>, so the caller sees status, Retry-After and the error body.
/// </summary>
internal interface IGraphApi
{
    [Get("/me")]
    Task<IApiResponse<GraphUser>> MeAsync([Authorize] string token, [AliasAs("$select")] string select, CancellationToken cancellationToken);

    [Get("/me/drives")]
    Task<IApiResponse<GraphList<GraphDrive>>> MyDrivesAsync([Authorize] string token, CancellationToken cancellationToken);

    [Get("/users/{user}/drives")]
    Task<IApiResponse<GraphList<GraphDrive>>> UserDrivesAsync([Authorize] string token, string user, CancellationToken cancellationToken);

    [Get("/sites/{site}/drives")]
    Task<IApiResponse<GraphList<GraphDrive>>> SiteDrivesAsync([Authorize] string token, string site, CancellationToken cancellationToken);

    [Get("/drives/{driveId}")]
    Task<IApiResponse<GraphDrive>> DriveAsync([Authorize] string token, string driveId, CancellationToken cancellationToken);

    [Get("/drives/{driveId}/root/children")]
    Task<IApiResponse<GraphList<GraphItem>>> RootChildrenAsync([Authorize] string token, string driveId, CancellationToken cancellationToken);

    [Get("/drives/{driveId}/root:/{**path}")]
    Task<IApiResponse<GraphItem>> ItemAsync([Authorize] string token, string driveId, string path, CancellationToken cancellationToken);

    [Put("/drives/{driveId}/root:/{**path}:/content")]
    Task<IApiResponse<GraphItem>> PutContentAsync([Authorize] string token, string driveId, string path, [AliasAs("@microsoft.graph.conflictBehavior")][Query] string conflictBehavior, [Body] HttpContent content, CancellationToken cancellationToken);

    [Post("/drives/{driveId}/root:/{**path}:/createUploadSession")]
    Task<IApiResponse<GraphUploadSession>> CreateUploadSessionAsync([Authorize] string token, string driveId, string path, [Body] GraphUploadSessionRequest request, CancellationToken cancellationToken);
}

/// <summary>Graph's JSON: camelCase, nulls left out.</summary>
internal static class GraphJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static RefitSettings RefitSettings { get; } = new(new SystemTextJsonContentSerializer(Options));
}

internal sealed record EntraTokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken);

internal sealed record GraphList<T>([property: JsonPropertyName("value")] IReadOnlyList<T>? Value)
{
    public IReadOnlyList<T> Items => Value ?? [];
}

internal sealed record GraphUser(string? Id, string? DisplayName, string? UserPrincipalName);

internal sealed record GraphDrive(string? Id, string? Name, string? DriveType, GraphIdentitySet? Owner);

internal sealed record GraphIdentitySet(GraphIdentity? User, GraphIdentity? Group);

internal sealed record GraphIdentity(string? DisplayName);

internal sealed record GraphItem(string? Id, string? Name, long? Size, GraphFile? File, GraphFolder? Folder, GraphItemReference? ParentReference);

internal sealed record GraphFile(GraphHashes? Hashes);

internal sealed record GraphHashes(string? QuickXorHash);

internal sealed record GraphFolder(int? ChildCount);

internal sealed record GraphItemReference(string? Path);

/// <summary>The body of <c>createUploadSession</c>: fail when a file of that name is there (never replace, never rename).</summary>
internal sealed record GraphUploadSessionRequest(GraphUploadItem Item)
{
    public static GraphUploadSessionRequest FailOnConflict { get; } = new(new GraphUploadItem("fail"));
}

internal sealed record GraphUploadItem([property: JsonPropertyName("@microsoft.graph.conflictBehavior")] string ConflictBehavior);

internal sealed record GraphUploadSession(string? UploadUrl, DateTimeOffset? ExpirationDateTime, IReadOnlyList<string>? NextExpectedRanges);

/// <summary>Graph's error body <c>{"error":{"code":…,"message":…}}</c>, or the token endpoint's <c>{"error":"invalid_grant","error_description":…}</c>.</summary>
internal sealed record GraphError(string? Code, string? Message)
{
    public static GraphError Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return new(null, null);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error))
            {
                return new(null, null);
            }

            if (error.ValueKind == JsonValueKind.String)
            {
                var description = root.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                return new(error.GetString(), description);
            }

            string? Text(string name) => error.ValueKind == JsonValueKind.Object && error.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return new(Text("code"), Text("message"));
        }
        catch (JsonException)
        {
            return new(null, null);
        }
    }
}
