using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Koppel.ProviderFakes.OneDrive;

/// <summary>
/// A fake of Microsoft Graph's drive API and the Microsoft identity platform (v2.0) as providers.md §6 describes them:
/// the authorisation-code flow with <c>offline_access</c> and a NEW refresh token on every refresh (rotation), items
/// addressed by path (<c>/drives/{id}/root:/{path}</c>), PUT content with <c>@microsoft.graph.conflictBehavior</c>,
/// upload sessions whose fragments must be multiples of 320 KiB (the last excepted) and must not carry an
/// Authorization header, <c>quickXorHash</c> on files, JSON error bodies, 429/503 with <c>Retry-After</c>.
/// Graph lives under <c>/v1.0</c>, the sign-in under <c>/login</c>. Switches inject failures; state is open for tests.
/// </summary>
public sealed class OneDriveFake(TimeProvider? clock = null) : IProviderFake
{
    public const int AccessTokenSeconds = 3600;
    public const int FragmentUnit = 320 * 1024;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly object _lock = new();
    private readonly Dictionary<string, FakeUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeDrive> _drives = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeUser> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (FakeUser User, DateTimeOffset ExpiresAt)> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeUser> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Tenant, string ClientId), (string Secret, FakeUser Principal)> _apps = [];
    private readonly Dictionary<string, List<string>> _sites = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Drive, string Path), FakeItem> _items = [];
    private readonly Dictionary<string, FakeSession> _sessions = new(StringComparer.Ordinal);
    private readonly List<string> _events = [];
    private readonly List<int> _fragmentSizes = [];
    private int _throttled;
    private int _throttleStatus;
    private int _throttleRetryAfter;

    public string PathPrefix => "onedrive";

    public string ClientId { get; set; } = "5f0c6a3e-koppel-fake-onedrive";

    public string ClientSecret { get; set; } = "fake-onedrive-client-secret-4242";

    public string RedirectUri { get; set; } = "https://platform.example.be/onedrive/callback";

    /// <summary>The user who consents when a browser opens the authorize endpoint.</summary>
    public string? ConsentingUser { get; set; }

    /// <summary>Stricter than Entra (which lets an old refresh token live on a while): a used refresh token dies at once.</summary>
    public bool RetireUsedRefreshTokens { get; set; } = true;

    /// <summary>Store the next uploaded file, then drop the connection instead of answering (a lost response).</summary>
    public bool DropResponseAfterUpload { get; set; }

    public int RefreshCount { get; private set; }

    /// <summary>Client-credentials tokens issued to app registrations.</summary>
    public int AppTokenCount { get; private set; }

    public int SessionCount { get; private set; }

    public int SimpleUploadCount { get; private set; }

    /// <summary>Every code and token issued, for tests that prove none leaks.</summary>
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

    /// <summary>
    /// What happened, in order: "token {grant} -> access {a} refresh {r}" for every token issued, "use {a}" for every
    /// Graph call made with an access token, "call {method} {path}" for every call.
    /// </summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<int> FragmentSizes
    {
        get
        {
            lock (_lock)
            {
                return [.. _fragmentSizes];
            }
        }
    }

    /// <summary>A user with their own OneDrive; returns the user id.</summary>
    public string AddUser(string displayName)
    {
        lock (_lock)
        {
            var id = Guid.NewGuid().ToString();
            var user = new FakeUser(id, displayName, displayName.Replace(' ', '.').ToLowerInvariant() + "@bakkerij.onmicrosoft.com");
            _users[id] = user;
            var drive = new FakeDrive("b!" + NewSecret("d")[..22].Replace('.', 'x'), "OneDrive", "business");
            _drives[drive.Id] = drive;
            user.Drives.Add(drive.Id);
            return id;
        }
    }

    /// <summary>A SharePoint document library the user can reach; returns the drive id.</summary>
    public string AddLibrary(string user, string name)
    {
        lock (_lock)
        {
            var drive = new FakeDrive("b!" + NewSecret("d")[..22].Replace('.', 'x'), name, "documentLibrary");
            _drives[drive.Id] = drive;
            _users[user].Drives.Add(drive.Id);
            return drive.Id;
        }
    }

    /// <summary>An app registration of <paramref name="tenant"/> with admin-consented application permissions on every drive.</summary>
    public void AddAppRegistration(string tenant, string clientId, string clientSecret)
    {
        lock (_lock)
        {
            _apps[(tenant.ToLowerInvariant(), clientId)] = (clientSecret, new FakeUser("app-" + clientId, "Koppel (app)", clientId) { App = true });
        }
    }

    /// <summary>A SharePoint site with one document library; returns the site id (host,site-guid,web-guid).</summary>
    public string AddSite(string host, string libraryName, out string driveId)
    {
        lock (_lock)
        {
            var site = $"{host},{Guid.NewGuid()},{Guid.NewGuid()}";
            var drive = new FakeDrive("b!" + NewSecret("d")[..22].Replace('.', 'x'), libraryName, "documentLibrary");
            _drives[drive.Id] = drive;
            _sites[site] = [drive.Id];
            driveId = drive.Id;
            return site;
        }
    }

    public string UpnOf(string user)
    {
        lock (_lock)
        {
            return _users[user].Upn;
        }
    }

    public string OwnDriveOf(string user)
    {
        lock (_lock)
        {
            return _users[user].Drives[0];
        }
    }

    public string IssueCode(string user)
    {
        lock (_lock)
        {
            var code = NewSecret("M.C5");
            _codes[code] = _users[user];
            return code;
        }
    }

    /// <summary>The user's password changed or an admin revoked the sessions: every refresh token of the user dies.</summary>
    public void RevokeRefreshTokens(string user)
    {
        lock (_lock)
        {
            foreach (var token in _refreshTokens.Where(t => t.Value.Id == user).Select(t => t.Key).ToList())
            {
                _refreshTokens.Remove(token);
            }
        }
    }

    /// <summary>The next <paramref name="times"/> Graph calls get <paramref name="status"/> (429 or 503) with Retry-After.</summary>
    public void Throttle(int times, int status, int retryAfterSeconds)
    {
        lock (_lock)
        {
            _throttled = times;
            _throttleStatus = status;
            _throttleRetryAfter = retryAfterSeconds;
        }
    }

    public void PutFile(string drive, string path, byte[] content)
    {
        lock (_lock)
        {
            _items[(drive, Key(path))] = new FakeItem(Normalize(path), content, NewSecret("i")[..16]);
        }
    }

    public void AddFolder(string drive, string path)
    {
        lock (_lock)
        {
            _items[(drive, Key(path))] = new FakeItem(Normalize(path), null, NewSecret("i")[..16]);
        }
    }

    public void MoveFile(string drive, string from, string to)
    {
        lock (_lock)
        {
            var item = _items[(drive, Key(from))];
            _items.Remove((drive, Key(from)));
            _items[(drive, Key(to))] = item with { Path = Normalize(to) };
        }
    }

    /// <summary>The files of a drive by path (without leading slash).</summary>
    public IReadOnlyDictionary<string, byte[]> Files(string drive)
    {
        lock (_lock)
        {
            return _items.Where(i => i.Key.Drive == drive && i.Value.Content is not null).ToDictionary(i => i.Value.Path, i => i.Value.Content!, StringComparer.Ordinal);
        }
    }

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/login/{tenant}/oauth2/v2.0/authorize", Authorize);
        routes.MapPost("/login/{tenant}/oauth2/v2.0/token", (Delegate)TokenAsync);
        routes.MapGet("/v1.0/me", Me);
        routes.MapGet("/v1.0/me/drives", MyDrives);
        routes.MapGet("/v1.0/users/{user}/drives", (HttpContext c, string user) => UserDrives(c, user));
        routes.MapGet("/v1.0/sites/{site}/drives", (HttpContext c, string site) => SiteDrives(c, site));
        routes.MapGet("/v1.0/drives/{driveId}", (HttpContext c, string driveId) => Drive(c, driveId));
        routes.MapMethods("/v1.0/drives/{driveId}/{**rest}", ["GET", "PUT", "POST"], (Delegate)DriveItemAsync);
        routes.MapPut("/upload/{sessionId}", (Delegate)FragmentAsync);
    }

    /// <summary>
    /// The quickXorHash written the slow, obvious way (every byte XORed into a 160-bit circle at 11 bits per byte, the
    /// length XORed into the last 8 bytes), so it checks the connector's faster version instead of repeating it.
    /// </summary>
    public static string QuickXorHash(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var bits = new bool[160];
        for (long k = 0; k < content.Length; k++)
        {
            var at = (int)(k * 11 % 160);
            for (var b = 0; b < 8; b++)
            {
                if ((content[k] >> b & 1) == 1)
                {
                    bits[(at + b) % 160] ^= true;
                }
            }
        }

        var result = new byte[20];
        for (var i = 0; i < 160; i++)
        {
            if (bits[i])
            {
                result[i / 8] |= (byte)(1 << (i % 8));
            }
        }

        var length = (ulong)content.Length;
        for (var i = 0; i < 8; i++)
        {
            result[12 + i] ^= (byte)(length >> (8 * i));
        }

        return Convert.ToBase64String(result);
    }

    private IResult Authorize(HttpContext context, string tenant)
    {
        var q = context.Request.Query;
        if (q["client_id"] != ClientId || q["response_type"] != "code" || q["redirect_uri"] != RedirectUri || !q["scope"].ToString().Split(' ').Contains("offline_access"))
        {
            return Results.BadRequest("invalid client_id, response_type, redirect_uri or scope without offline_access");
        }

        var code = IssueCode(ConsentingUser ?? throw new InvalidOperationException("Set ConsentingUser: who signs in at the fake."));
        return Results.Redirect($"{RedirectUri}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(q["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpContext context, string tenant)
    {
        var form = await context.Request.ReadFormAsync();
        var grant = form["grant_type"].ToString();
        lock (_lock)
        {
            if (grant == "client_credentials")
            {
                return ClientCredentials(tenant, form);
            }

            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
            {
                return OAuthError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
            }

            FakeUser user;
            if (grant == "authorization_code")
            {
                if (!_codes.Remove(form["code"].ToString(), out user!) || form["redirect_uri"] != RedirectUri)
                {
                    return OAuthError(400, "invalid_grant", "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.");
                }
            }
            else if (grant == "refresh_token")
            {
                var presented = form["refresh_token"].ToString();
                if (!_refreshTokens.TryGetValue(presented, out user!))
                {
                    return OAuthError(400, "invalid_grant", "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed.");
                }

                if (RetireUsedRefreshTokens)
                {
                    _refreshTokens.Remove(presented);
                }

                RefreshCount++;
            }
            else
            {
                return OAuthError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.");
            }

            var access = NewSecret("eyJ0eXAi");
            var refresh = NewSecret("0.ARoA");
            _accessTokens[access] = (user, _clock.GetUtcNow().AddSeconds(AccessTokenSeconds));
            _refreshTokens[refresh] = user;
            _events.Add($"token {grant} -> access {access} refresh {refresh}");
            return Results.Json(new JsonObject
            {
                ["token_type"] = "Bearer",
                ["scope"] = "User.Read Files.ReadWrite.All",
                ["expires_in"] = AccessTokenSeconds,
                ["ext_expires_in"] = AccessTokenSeconds,
                ["access_token"] = access,
                ["refresh_token"] = refresh,
            });
        }
    }

    /// <summary>
    /// The client-credentials grant (an app registration, no user): one tenant only, scope <c>{resource}/.default</c>,
    /// an access token without a refresh token. Call under the lock.
    /// </summary>
    private IResult ClientCredentials(string tenant, IFormCollection form)
    {
        if (tenant.ToLowerInvariant() is "organizations" or "common" or "consumers")
        {
            return OAuthError(400, "invalid_request", "AADSTS90009: Application is requesting a token for itself. This scenario is supported only if resource is specified using the GUID based App Identifier. Use a tenant-specific endpoint.");
        }

        if (!_apps.TryGetValue((tenant.ToLowerInvariant(), form["client_id"].ToString()), out var app))
        {
            return OAuthError(400, "unauthorized_client", $"AADSTS700016: Application with identifier '{form["client_id"]}' was not found in the directory '{tenant}'.");
        }

        if (form["client_secret"] != app.Secret)
        {
            return OAuthError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
        }

        if (form["scope"] != "https://graph.microsoft.com/.default")
        {
            return OAuthError(400, "invalid_scope", "AADSTS1002012: The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
        }

        var access = NewSecret("eyJ0eXAi");
        _accessTokens[access] = (app.Principal, _clock.GetUtcNow().AddSeconds(AccessTokenSeconds));
        AppTokenCount++;
        _events.Add($"token client_credentials -> access {access}");
        return Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = AccessTokenSeconds,
            ["ext_expires_in"] = AccessTokenSeconds,
            ["access_token"] = access,
        });
    }

    private bool Reaches(FakeUser user, string driveId) => user.App ? _drives.ContainsKey(driveId) : user.Drives.Contains(driveId);

    private IResult UserDrives(HttpContext context, string who)
    {
        lock (_lock)
        {
            if (Authenticate(context, out var caller) is { } refused)
            {
                return refused;
            }

            var user = _users.Values.FirstOrDefault(u => u.Id == who || string.Equals(u.Upn, who, StringComparison.OrdinalIgnoreCase));
            return user is null || (!caller!.App && caller.Id != user.Id)
                ? Error(404, "ResourceNotFound", $"User not found: {who}")
                : Results.Json(new JsonObject { ["value"] = new JsonArray([.. user.Drives.Select(d => (JsonNode)DriveJson(_drives[d]))]) });
        }
    }

    private IResult SiteDrives(HttpContext context, string site)
    {
        lock (_lock)
        {
            return Authenticate(context, out _)
                ?? (_sites.TryGetValue(site, out var drives)
                    ? Results.Json(new JsonObject { ["value"] = new JsonArray([.. drives.Select(d => (JsonNode)DriveJson(_drives[d]))]) })
                    : Error(404, "itemNotFound", "Requested site could not be found"));
        }
    }

    private IResult Me(HttpContext context)
    {
        lock (_lock)
        {
            if (Authenticate(context, out var user) is { } refused)
            {
                return refused;
            }

            return user!.App
                ? Error(400, "BadRequest", "/me request is only valid with delegated authentication flow.")
                : Results.Json(new JsonObject { ["id"] = user.Id, ["displayName"] = user.DisplayName, ["userPrincipalName"] = user.Upn });
        }
    }

    private IResult MyDrives(HttpContext context)
    {
        lock (_lock)
        {
            return Authenticate(context, out var user)
                ?? Results.Json(new JsonObject { ["value"] = new JsonArray([.. user!.Drives.Select(d => (JsonNode)DriveJson(_drives[d]))]) });
        }
    }

    private IResult Drive(HttpContext context, string driveId)
    {
        lock (_lock)
        {
            return Authenticate(context, out var user)
                ?? (Reaches(user!, driveId) ? Results.Json(DriveJson(_drives[driveId])) : Error(404, "itemNotFound", "The resource could not be found."));
        }
    }

    private async Task<IResult> DriveItemAsync(HttpContext context, string driveId, string rest)
    {
        var method = context.Request.Method;
        byte[]? body = method == "PUT" ? await ReadBodyAsync(context) : null;
        JsonNode? json = method == "POST" ? await JsonNode.ParseAsync(context.Request.Body) : null;
        lock (_lock)
        {
            if (Authenticate(context, out var user) is { } refused)
            {
                return refused;
            }

            if (!Reaches(user!, driveId))
            {
                return Error(404, "itemNotFound", "The resource could not be found.");
            }

            if (rest == "root/children" && method == "GET")
            {
                var children = _items.Where(i => i.Key.Drive == driveId && !i.Value.Path.Contains('/', StringComparison.Ordinal)).Select(i => (JsonNode)ItemJson(i.Value)).ToList();
                var implied = _items.Where(i => i.Key.Drive == driveId && i.Value.Path.Contains('/', StringComparison.Ordinal))
                    .Select(i => i.Value.Path.Split('/')[0]).Distinct(StringComparer.OrdinalIgnoreCase)
                    .Where(name => !_items.ContainsKey((driveId, Key(name))))
                    .Select(name => (JsonNode)ItemJson(new FakeItem(name, null, "folder-" + name)));
                return Results.Json(new JsonObject { ["value"] = new JsonArray([.. children, .. implied]) });
            }

            if (!rest.StartsWith("root:/", StringComparison.Ordinal))
            {
                return Error(400, "invalidRequest", "Koppel's fake knows root:/{path} addressing only.");
            }

            var address = rest["root:/".Length..];
            if (method == "GET")
            {
                var path = Normalize(address);
                if (_items.TryGetValue((driveId, Key(path)), out var item))
                {
                    return Results.Json(ItemJson(item));
                }

                return _items.Keys.Any(k => k.Drive == driveId && k.Path.StartsWith(Key(path) + "/", StringComparison.Ordinal))
                    ? Results.Json(ItemJson(new FakeItem(path, null, "folder-" + path)))
                    : Error(404, "itemNotFound", "The resource could not be found.");
            }

            if (method == "PUT" && address.EndsWith(":/content", StringComparison.Ordinal))
            {
                SimpleUploadCount++;
                var path = Normalize(address[..^":/content".Length]);
                var conflict = context.Request.Query["@microsoft.graph.conflictBehavior"].ToString() is { Length: > 0 } c ? c : "replace";
                return Store(context, driveId, path, body!, conflict, 201);
            }

            if (method == "POST" && address.EndsWith(":/createUploadSession", StringComparison.Ordinal))
            {
                var path = Normalize(address[..^":/createUploadSession".Length]);
                var conflict = json?["item"]?["@microsoft.graph.conflictBehavior"]?.GetValue<string>() ?? "replace";
                var id = NewSecret("us")[..20].Replace('.', 'x');
                _sessions[id] = new FakeSession(driveId, path, conflict);
                SessionCount++;
                var request = context.Request;
                return Results.Json(new JsonObject
                {
                    ["uploadUrl"] = $"{request.Scheme}://{request.Host}/{PathPrefix}/upload/{id}",
                    ["expirationDateTime"] = _clock.GetUtcNow().AddDays(1).ToString("o", CultureInfo.InvariantCulture),
                    ["nextExpectedRanges"] = new JsonArray("0-"),
                });
            }

            return Error(400, "invalidRequest", "Unsupported call.");
        }
    }

    private async Task<IResult> FragmentAsync(HttpContext context, string sessionId)
    {
        var body = await ReadBodyAsync(context);
        lock (_lock)
        {
            _events.Add($"call PUT /upload");
            if (context.Request.Headers.Authorization.Count > 0)
            {
                return Error(401, "unauthenticated", "Do not send an Authorization header to an upload URL.");
            }

            if (!_sessions.TryGetValue(sessionId, out var session))
            {
                return Error(404, "itemNotFound", "The upload session does not exist or has expired.");
            }

            var range = System.Net.Http.Headers.ContentRangeHeaderValue.Parse(context.Request.Headers.ContentRange.ToString());
            if (range.From != session.Bytes.Length || range.To - range.From + 1 != body.Length || range.Length is not { } total)
            {
                return Error(416, "invalidRange", $"Expected the range starting at {session.Bytes.Length}.");
            }

            var last = range.To + 1 == total;
            if (!last && body.Length % FragmentUnit != 0)
            {
                return Error(400, "invalidRequest", "A fragment must be a multiple of 320 KiB.");
            }

            session.Bytes.Write(body);
            _fragmentSizes.Add(body.Length);
            if (!last)
            {
                return Results.Json(new JsonObject { ["nextExpectedRanges"] = new JsonArray($"{session.Bytes.Length}-") }, statusCode: 202);
            }

            _sessions.Remove(sessionId);
            return Store(context, session.Drive, session.Path, session.Bytes.ToArray(), session.Conflict, 201);
        }
    }

    private IResult Store(HttpContext context, string drive, string path, byte[] content, string conflictBehavior, int status)
    {
        if (_items.TryGetValue((drive, Key(path)), out var existing))
        {
            if (conflictBehavior == "fail")
            {
                return Error(409, "nameAlreadyExists", "The specified item name already exists.");
            }

            if (conflictBehavior != "replace")
            {
                return Error(400, "invalidRequest", "Koppel's fake knows conflictBehavior fail and replace only.");
            }
        }

        var item = new FakeItem(path, content, existing?.Id ?? NewSecret("i")[..16]);
        _items[(drive, Key(path))] = item;
        if (DropResponseAfterUpload)
        {
            DropResponseAfterUpload = false;
            context.Abort();
            return Results.Empty;
        }

        return Results.Json(ItemJson(item), statusCode: status);
    }

    private IResult? Authenticate(HttpContext context, out FakeUser? user)
    {
        user = null;
        _events.Add($"call {context.Request.Method} {context.Request.Path}");
        if (_throttled > 0)
        {
            _throttled--;
            context.Response.Headers.RetryAfter = _throttleRetryAfter.ToString(CultureInfo.InvariantCulture);
            return _throttleStatus == 429
                ? Error(429, "activityLimitReached", "The request has been throttled.")
                : Error(503, "serviceNotAvailable", "The service is temporarily unavailable.");
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || !_accessTokens.TryGetValue(header["Bearer ".Length..], out var held) || held.ExpiresAt <= _clock.GetUtcNow())
        {
            return Error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid.");
        }

        _events.Add("use " + header["Bearer ".Length..]);
        user = held.User;
        return null;
    }

    private static JsonObject DriveJson(FakeDrive drive) => new()
    {
        ["id"] = drive.Id,
        ["name"] = drive.Name,
        ["driveType"] = drive.Type,
    };

    private static JsonObject ItemJson(FakeItem item)
    {
        var json = new JsonObject
        {
            ["id"] = item.Id,
            ["name"] = item.Path[(item.Path.LastIndexOf('/') + 1)..],
            ["size"] = item.Content?.Length ?? 0,
            ["parentReference"] = new JsonObject { ["path"] = "/drive/root:/" + (item.Path.Contains('/', StringComparison.Ordinal) ? item.Path[..item.Path.LastIndexOf('/')] : string.Empty) },
        };
        if (item.Content is { } content)
        {
            json["file"] = new JsonObject { ["mimeType"] = "application/octet-stream", ["hashes"] = new JsonObject { ["quickXorHash"] = QuickXorHash(content) } };
        }
        else
        {
            json["folder"] = new JsonObject { ["childCount"] = 0 };
        }

        return json;
    }

    private static string Normalize(string path) => Uri.UnescapeDataString(path).Trim('/');

    private static string Key(string path) => Normalize(path).ToLowerInvariant();

    private static async Task<byte[]> ReadBodyAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["innerError"] = new JsonObject { ["request-id"] = Guid.NewGuid().ToString() } } }, statusCode: status);

    private static IResult OAuthError(int status, string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description, ["error_codes"] = new JsonArray(int.Parse(description[6..11], CultureInfo.InvariantCulture)) }, statusCode: status);

    private static string NewSecret(string prefix) => prefix + "." + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private sealed record FakeUser(string Id, string DisplayName, string Upn)
    {
        public List<string> Drives { get; } = [];

        /// <summary>An app registration signed in with client credentials: application permissions reach every drive of the tenant.</summary>
        public bool App { get; init; }
    }

    private sealed record FakeDrive(string Id, string Name, string Type);

    private sealed record FakeItem(string Path, byte[]? Content, string Id);

    private sealed record FakeSession(string Drive, string Path, string Conflict)
    {
        public MemoryStream Bytes { get; } = new();
    }
}
