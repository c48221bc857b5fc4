using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Koppel.ProviderFakes.Dropbox;

/// <summary>
/// A fake of Dropbox API v2 as providers.md §5 describes it: the OAuth2 code flow with <c>token_access_type=offline</c>
/// (refresh tokens that do not rotate), RPC calls with JSON bodies, content calls with the <c>Dropbox-API-Arg</c> header,
/// <c>files/upload</c> and upload sessions, <c>mode=add</c> conflicts (the same content under the same name is no conflict
/// unless <c>strict_conflict</c>), <c>content_hash</c> on metadata, team spaces through <c>Dropbox-API-Path-Root</c>, 429
/// with <c>Retry-After</c> and error summaries. Switches inject failures; files, sessions and calls are open for tests.
/// </summary>
public sealed class DropboxFake(TimeProvider? clock = null) : IProviderFake
{
    public const int AccessTokenSeconds = 14400;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly object _lock = new();
    private readonly Dictionary<string, FakeAccount> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeAccount> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (FakeAccount Account, DateTimeOffset ExpiresAt)> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeAccount> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Namespace, string Path), FakeFile> _files = [];
    private readonly Dictionary<string, FakeSession> _sessions = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];
    private readonly List<int> _chunkSizes = [];
    private int _tooMany;
    private int _tooManyRetryAfter;
    private string _tooManyReason = "too_many_requests";

    public string PathPrefix => "dropbox";

    public string AppKey { get; set; } = "koppel-fake-dropbox-app";

    public string AppSecret { get; set; } = "fake-dropbox-app-secret-0815";

    public string RedirectUri { get; set; } = "https://platform.example.be/dropbox/callback";

    /// <summary>The account that consents when a browser opens <c>/oauth2/authorize</c>.</summary>
    public string? ConsentingAccount { get; set; }

    /// <summary>Store the next uploaded file, then drop the connection instead of answering (a lost response).</summary>
    public bool DropResponseAfterUpload { get; set; }

    public int RefreshCount { get; private set; }

    public int UploadCount { get; private set; }

    public int SessionCount { get; private set; }

    /// <summary>Every code and token the fake issued, for tests that prove none leaks.</summary>
    public IReadOnlyList<string> IssuedSecrets
    {
        get
        {
            lock (_lock)
            {
                return [.. _codes.Keys, .. _accessTokens.Keys, .. _refreshTokens.Keys];
            }
        }
    }

    /// <summary>Every call as "/path", token calls as "/oauth2/token {grant}".</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The size of every chunk that arrived through an upload session, in order.</summary>
    public IReadOnlyList<int> SessionChunkSizes
    {
        get
        {
            lock (_lock)
            {
                return [.. _chunkSizes];
            }
        }
    }

    /// <summary>An account; with <paramref name="teamName"/> it belongs to a team whose space has its own root namespace.</summary>
    public string AddAccount(string displayName, string? teamName = null)
    {
        lock (_lock)
        {
            var id = "dbid:AA" + NewSecret("x")[2..30];
            var home = (1000 + _accounts.Count * 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var root = teamName is null ? home : (900000 + _accounts.Count).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _accounts[id] = new FakeAccount(id, displayName, home, root, teamName);
            return id;
        }
    }

    public string RootNamespaceOf(string account)
    {
        lock (_lock)
        {
            return _accounts[account].RootNamespace;
        }
    }

    public string HomeNamespaceOf(string account)
    {
        lock (_lock)
        {
            return _accounts[account].HomeNamespace;
        }
    }

    public string IssueCode(string account)
    {
        lock (_lock)
        {
            var code = NewSecret("code");
            _codes[code] = _accounts[account];
            return code;
        }
    }

    /// <summary>The user removes the app from their account: every token of theirs stops working.</summary>
    public void RevokeApp(string account)
    {
        lock (_lock)
        {
            foreach (var token in _refreshTokens.Where(t => t.Value.Id == account).Select(t => t.Key).ToList())
            {
                _refreshTokens.Remove(token);
            }

            foreach (var token in _accessTokens.Where(t => t.Value.Account.Id == account).Select(t => t.Key).ToList())
            {
                _accessTokens.Remove(token);
            }
        }
    }

    /// <summary>The next <paramref name="times"/> calls get 429 with <c>Retry-After</c> and the given reason (too_many_requests or too_many_write_operations).</summary>
    public void RespondTooManyRequests(int times, int retryAfterSeconds, string reason = "too_many_requests")
    {
        lock (_lock)
        {
            _tooMany = times;
            _tooManyRetryAfter = retryAfterSeconds;
            _tooManyReason = reason;
        }
    }

    /// <summary>Someone (not Koppel) puts a file into a namespace.</summary>
    public void PutFile(string ns, string path, byte[] content)
    {
        lock (_lock)
        {
            _files[(ns, path.ToLowerInvariant())] = new FakeFile(path, content, "id:" + NewSecret("f")[..16]);
        }
    }

    /// <summary>The receiver moves a file (e.g. into processed/).</summary>
    public void MoveFile(string ns, string from, string to)
    {
        lock (_lock)
        {
            var file = _files[(ns, from.ToLowerInvariant())];
            _files.Remove((ns, from.ToLowerInvariant()));
            _files[(ns, to.ToLowerInvariant())] = file with { PathDisplay = to };
        }
    }

    /// <summary>The files of a namespace, by their display path.</summary>
    public IReadOnlyDictionary<string, byte[]> Files(string ns)
    {
        lock (_lock)
        {
            return _files.Where(f => f.Key.Namespace == ns).ToDictionary(f => f.Value.PathDisplay, f => f.Value.Content, StringComparer.Ordinal);
        }
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/oauth2/authorize", Authorize);
        routes.MapPost("/oauth2/token", (Delegate)TokenAsync);
        routes.MapPost("/2/users/get_current_account", CurrentAccount);
        routes.MapPost("/2/files/get_metadata", (Delegate)MetadataAsync);
        routes.MapPost("/2/files/upload", (Delegate)UploadAsync);
        routes.MapPost("/2/files/upload_session/start", (Delegate)StartAsync);
        routes.MapPost("/2/files/upload_session/append_v2", (Delegate)AppendAsync);
        routes.MapPost("/2/files/upload_session/finish", (Delegate)FinishAsync);
    }

    /// <summary>Dropbox's content hash: SHA-256 over the SHA-256 of each 4 MiB block.</summary>
    public static string ContentHash(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var all = new MemoryStream();
        for (var offset = 0; offset < content.Length; offset += 4 * 1024 * 1024)
        {
            all.Write(SHA256.HashData(content.AsSpan(offset, Math.Min(4 * 1024 * 1024, content.Length - offset))));
        }

        return Convert.ToHexStringLower(SHA256.HashData(all.ToArray()));
    }

    private IResult Authorize(HttpContext context)
    {
        var q = context.Request.Query;
        if (q["client_id"] != AppKey || q["response_type"] != "code" || q["redirect_uri"] != RedirectUri)
        {
            return Results.BadRequest("invalid client_id, response_type or redirect_uri");
        }

        if (q["token_access_type"] != "offline")
        {
            return Results.BadRequest("this app needs token_access_type=offline for a refresh token");
        }

        var code = IssueCode(ConsentingAccount ?? throw new InvalidOperationException("Set ConsentingAccount: who signs in at the fake."));
        return Results.Redirect($"{RedirectUri}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(q["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var grant = form["grant_type"].ToString();
        lock (_lock)
        {
            _requests.Add("/oauth2/token " + grant);
            if (Throttled(context) is { } throttled)
            {
                return throttled;
            }

            if (form["client_id"] != AppKey || form["client_secret"] != AppSecret)
            {
                return OAuthError(401, "invalid_client", "Invalid client_id or client_secret");
            }

            FakeAccount account;
            string? refresh = null;
            if (grant == "authorization_code")
            {
                if (!_codes.Remove(form["code"].ToString(), out account!) || form["redirect_uri"] != RedirectUri)
                {
                    return OAuthError(400, "invalid_grant", "code doesn't exist or has expired");
                }

                refresh = NewSecret("rt");
                _refreshTokens[refresh] = account;
            }
            else if (grant == "refresh_token")
            {
                if (!_refreshTokens.TryGetValue(form["refresh_token"].ToString(), out account!))
                {
                    return OAuthError(400, "invalid_grant", "refresh token is invalid or revoked");
                }

                RefreshCount++;
            }
            else
            {
                return OAuthError(400, "unsupported_grant_type", "grant_type is not supported");
            }

            var access = NewSecret("sl");
            _accessTokens[access] = (account, _clock.GetUtcNow().AddSeconds(AccessTokenSeconds));
            var answer = new JsonObject
            {
                ["access_token"] = access,
                ["token_type"] = "bearer",
                ["expires_in"] = AccessTokenSeconds,
                ["scope"] = "account_info.read files.content.write files.metadata.read",
                ["account_id"] = account.Id,
                ["uid"] = "12345",
            };
            if (refresh is not null)
            {
                answer["refresh_token"] = refresh;
            }

            return Results.Json(answer);
        }
    }

    private IResult CurrentAccount(HttpContext context)
    {
        lock (_lock)
        {
            if (Authenticate(context, "/2/users/get_current_account", out var account, out _) is { } refused)
            {
                return refused;
            }

            return Results.Json(new JsonObject
            {
                ["account_id"] = account!.Id,
                ["name"] = new JsonObject { ["display_name"] = account.DisplayName },
                ["email"] = account.DisplayName.Replace(' ', '.').ToLowerInvariant() + "@example.be",
                ["root_info"] = new JsonObject
                {
                    [".tag"] = account.TeamName is null ? "user" : "team",
                    ["root_namespace_id"] = account.RootNamespace,
                    ["home_namespace_id"] = account.HomeNamespace,
                },
                ["team"] = account.TeamName is null ? null : new JsonObject { ["name"] = account.TeamName },
            });
        }
    }

    private async Task<IResult> MetadataAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        lock (_lock)
        {
            if (Authenticate(context, "/2/files/get_metadata", out _, out var ns) is { } refused)
            {
                return refused;
            }

            var path = body?["path"]?.GetValue<string>() ?? string.Empty;
            return _files.TryGetValue((ns!, path.ToLowerInvariant()), out var file)
                ? Results.Json(Metadata(file))
                : Error(409, "path/not_found/", new JsonObject { [".tag"] = "path", ["path"] = new JsonObject { [".tag"] = "not_found" } });
        }
    }

    private async Task<IResult> UploadAsync(HttpContext context)
    {
        var content = await ReadBodyAsync(context);
        lock (_lock)
        {
            if (Authenticate(context, "/2/files/upload", out _, out var ns) is { } refused)
            {
                return refused;
            }

            UploadCount++;
            var arg = Arg(context);
            return Commit(context, ns!, arg, content);
        }
    }

    private async Task<IResult> StartAsync(HttpContext context)
    {
        var content = await ReadBodyAsync(context);
        lock (_lock)
        {
            if (Authenticate(context, "/2/files/upload_session/start", out var account, out var ns) is { } refused)
            {
                return refused;
            }

            var id = "pid_upload_session:" + NewSecret("s")[..16];
            var session = new FakeSession(account!.Id, ns!);
            session.Bytes.Write(content);
            _sessions[id] = session;
            _chunkSizes.Add(content.Length);
            SessionCount++;
            return Results.Json(new JsonObject { ["session_id"] = id });
        }
    }

    private async Task<IResult> AppendAsync(HttpContext context)
    {
        var content = await ReadBodyAsync(context);
        lock (_lock)
        {
            if (Authenticate(context, "/2/files/upload_session/append_v2", out _, out _) is { } refused)
            {
                return refused;
            }

            var cursor = Arg(context)["cursor"]!;
            if (Cursor(cursor, out var session) is { } wrong)
            {
                return wrong;
            }

            session!.Bytes.Write(content);
            _chunkSizes.Add(content.Length);
            return Results.Json<object?>(null);
        }
    }

    private async Task<IResult> FinishAsync(HttpContext context)
    {
        var content = await ReadBodyAsync(context);
        lock (_lock)
        {
            if (Authenticate(context, "/2/files/upload_session/finish", out _, out var ns) is { } refused)
            {
                return refused;
            }

            var arg = Arg(context);
            if (Cursor(arg["cursor"]!, out var session) is { } wrong)
            {
                return wrong;
            }

            session!.Bytes.Write(content);
            var id = arg["cursor"]!["session_id"]!.GetValue<string>();
            _sessions.Remove(id);
            return Commit(context, session.Namespace, (JsonObject)arg["commit"]!, session.Bytes.ToArray());
        }
    }

    private IResult? Cursor(JsonNode cursor, out FakeSession? session)
    {
        var id = cursor["session_id"]?.GetValue<string>() ?? string.Empty;
        if (!_sessions.TryGetValue(id, out session))
        {
            return Error(409, "lookup_failed/not_found/", new JsonObject { [".tag"] = "lookup_failed" });
        }

        var offset = cursor["offset"]?.GetValue<long>() ?? -1;
        return offset != session.Bytes.Length
            ? Error(409, "lookup_failed/incorrect_offset/", new JsonObject { [".tag"] = "lookup_failed", ["correct_offset"] = session.Bytes.Length })
            : null;
    }

    /// <summary>Writes a file as <c>mode</c> says (only add is supported, as Koppel uses it): the same content is no conflict.</summary>
    private IResult Commit(HttpContext context, string ns, JsonObject arg, byte[] content)
    {
        var path = arg["path"]?.GetValue<string>() ?? string.Empty;
        var mode = arg["mode"] is JsonValue v ? v.GetValue<string>() : arg["mode"]?[".tag"]?.GetValue<string>() ?? "add";
        var strict = arg["strict_conflict"]?.GetValue<bool>() ?? false;
        if (mode != "add" || (arg["autorename"]?.GetValue<bool>() ?? false))
        {
            return Error(400, "Koppel's fake supports mode=add without autorename only", null);
        }

        if (!path.StartsWith('/') || path.EndsWith('/') || path.Contains("//", StringComparison.Ordinal))
        {
            return Error(409, "path/malformed_path/", new JsonObject { [".tag"] = "path", ["reason"] = new JsonObject { [".tag"] = "malformed_path" } });
        }

        if (_files.TryGetValue((ns, path.ToLowerInvariant()), out var existing))
        {
            if (!strict && existing.Content.AsSpan().SequenceEqual(content))
            {
                return Results.Json(Metadata(existing));
            }

            return Error(409, "path/conflict/file/", new JsonObject { [".tag"] = "path", ["reason"] = new JsonObject { [".tag"] = "conflict", ["conflict"] = new JsonObject { [".tag"] = "file" } } });
        }

        var file = new FakeFile(path, content, "id:" + NewSecret("f")[..16]);
        _files[(ns, path.ToLowerInvariant())] = file;
        if (DropResponseAfterUpload)
        {
            DropResponseAfterUpload = false;
            context.Abort();
            return Results.Empty;
        }

        return Results.Json(Metadata(file));
    }

    private IResult? Authenticate(HttpContext context, string what, out FakeAccount? account, out string? ns)
    {
        account = null;
        ns = null;
        _requests.Add(what);
        if (Throttled(context) is { } throttled)
        {
            return throttled;
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !_accessTokens.TryGetValue(header["Bearer ".Length..], out var held))
        {
            return Error(401, "invalid_access_token/", new JsonObject { [".tag"] = "invalid_access_token" });
        }

        if (held.ExpiresAt <= _clock.GetUtcNow())
        {
            return Error(401, "expired_access_token/", new JsonObject { [".tag"] = "expired_access_token" });
        }

        account = held.Account;
        ns = account.HomeNamespace;
        var root = context.Request.Headers["Dropbox-API-Path-Root"].ToString();
        if (root.Length > 0)
        {
            var requested = JsonNode.Parse(root)?["root"]?.GetValue<string>();
            if (requested != account.RootNamespace && requested != account.HomeNamespace)
            {
                return Error(422, "invalid_root/", new JsonObject { [".tag"] = "invalid_root" });
            }

            ns = requested;
        }

        return null;
    }

    private IResult? Throttled(HttpContext context)
    {
        if (_tooMany <= 0)
        {
            return null;
        }

        _tooMany--;
        context.Response.Headers.RetryAfter = _tooManyRetryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Error(429, _tooManyReason + "/", new JsonObject { ["reason"] = new JsonObject { [".tag"] = _tooManyReason }, ["retry_after"] = _tooManyRetryAfter });
    }

    private static JsonObject Arg(HttpContext context) =>
        JsonNode.Parse(context.Request.Headers["Dropbox-API-Arg"].ToString()) as JsonObject ?? throw new BadHttpRequestException("Dropbox-API-Arg is not a JSON object");

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static JsonObject Metadata(FakeFile file) => new()
    {
        [".tag"] = "file",
        ["name"] = file.PathDisplay[(file.PathDisplay.LastIndexOf('/') + 1)..],
        ["path_display"] = file.PathDisplay,
        ["path_lower"] = file.PathDisplay.ToLowerInvariant(),
        ["id"] = file.Id,
        ["size"] = file.Content.Length,
        ["content_hash"] = ContentHash(file.Content),
        ["rev"] = "015f" + file.Id[3..11],
    };

    private static IResult Error(int status, string summary, JsonObject? error) =>
        Results.Json(new JsonObject { ["error_summary"] = summary, ["error"] = error }, statusCode: status);

    private static IResult OAuthError(int status, string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);

    private static string NewSecret(string prefix) => prefix + "." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private sealed record FakeAccount(string Id, string DisplayName, string HomeNamespace, string RootNamespace, string? TeamName);

    private sealed record FakeFile(string PathDisplay, byte[] Content, string Id);

    private sealed record FakeSession(string Account, string Namespace)
    {
        public MemoryStream Bytes { get; } = new();
    }
}
