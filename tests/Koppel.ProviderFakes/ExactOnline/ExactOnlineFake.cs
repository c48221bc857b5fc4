using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Koppel.ProviderFakes.ExactOnline;

/// <summary>
/// A fake of Exact Online's OAuth2 endpoints and REST/OData v1 API as providers.md §2 describes them: rotating refresh
/// tokens (the old one dies when the new one is used), <c>expires_in</c> as a string, OData JSON
/// (<c>{"d":{"results":[…]}}</c> / <c>{"d":{…}}</c>) and error bodies, rate-limit headers on every API answer, 403
/// <c>Reason: NoDivisionAccess</c>. Switches inject failures; the state (entries, documents, postbox messages, token
/// calls) is open for tests to inspect. Everything is guarded by one lock: it is a fake, not a database.
/// </summary>
public sealed partial class ExactOnlineFake(TimeProvider? clock = null) : IProviderFake
{
    public const int DailyLimit = 5000;
    public const int MinutelyLimit = 60;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly object _lock = new();
    private readonly Dictionary<Guid, FakeUser> _users = [];
    private readonly Dictionary<string, (FakeUser User, DateTimeOffset IssuedAt, bool Used)> _codes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (FakeUser User, DateTimeOffset ExpiresAt)> _accessTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (FakeUser User, long Sequence)> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Division, string Resource), List<JsonObject>> _tables = [];
    private readonly Dictionary<int, string> _divisions = [];
    private readonly Dictionary<int, (string? VatNumber, string? ChamberOfCommerce, string? Email)> _divisionDetails = [];
    private readonly Dictionary<(int Division, long Minute), int> _minuteCalls = [];
    private readonly Dictionary<(int Division, long Day), int> _dayCalls = [];
    private readonly List<string> _requests = [];
    private readonly List<(string Method, string PathPart, int Status, string Message, string? Reason)> _failNext = [];
    private long _sequence;
    private int _entryNumber = 26700000;
    private readonly Dictionary<string, decimal> _settled = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(int Division, JsonObject Row)> _otherReceivables = [];
    private long _timestamp = 1000;
    private int _tooManyRequests;
    private DateTimeOffset _tooManyMinutelyReset;
    private bool _tooManyDaily;

    public string PathPrefix => "exact-online";

    public string ClientId { get; set; } = "koppel-fake-client";

    public string ClientSecret { get; set; } = "fake-exact-client-secret-4711";

    public string RedirectUri { get; set; } = "https://platform.example.be/exact/callback";

    /// <summary>Lifetime of an issued access token; Exact's is 600 s.</summary>
    public int AccessTokenSeconds { get; set; } = 600;

    /// <summary>Refuse a refresh while the user's newest access token has more than 30 s left (401, Reason: Access Token not expired).</summary>
    public bool RefuseEarlyRefresh { get; set; }

    /// <summary>How long the token endpoint thinks before answering a refresh (to make races real).</summary>
    public TimeSpan RefreshDelay { get; set; }

    /// <summary>Book the next entry (or send the next postbox message), then drop the connection instead of answering.</summary>
    public bool DropResponseAfterBooking { get; set; }

    /// <summary>The user who consents when a browser opens <c>/api/oauth2/auth</c>.</summary>
    public Guid? ConsentingUser { get; set; }

    public int RefreshCount { get; private set; }

    public int RefusedRefreshCount { get; private set; }

    public int CodeExchangeCount { get; private set; }

    /// <summary>Every code, access token and refresh token the fake ever issued, for tests that prove none leaks.</summary>
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

    /// <summary>Every API request as "METHOD /path?query", token calls included.</summary>
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

    public Guid AddUser(string fullName, params int[] divisions)
    {
        lock (_lock)
        {
            var user = new FakeUser(Guid.NewGuid(), fullName, [.. divisions]);
            _users[user.Id] = user;
            foreach (var division in divisions)
            {
                AddDivision(division, $"Administration {division}");
            }

            return user.Id;
        }
    }

    public void AddDivision(int division, string description)
    {
        lock (_lock)
        {
            if (_divisions.TryAdd(division, description))
            {
                Table(division, "mailbox/Mailboxes").Add(new JsonObject
                {
                    ["ID"] = Guid.NewGuid().ToString(),
                    ["Mailbox"] = $"{division}@fake.exactonline.be",
                    ["ForDivision"] = division,
                    ["Description"] = "Digital postbox",
                });
            }
        }
    }

    /// <summary>
    /// What <c>system/Divisions</c> says of a division besides its code: its name (<c>Description</c>), <c>VATNumber</c>,
    /// <c>ChamberOfCommerceNumber</c> (the KBO/BCE number of a Belgian company) and <c>Email</c>.
    /// </summary>
    public void DescribeDivision(int division, string name, string? vatNumber = null, string? chamberOfCommerce = null, string? email = null)
    {
        lock (_lock)
        {
            AddDivision(division, name);
            _divisions[division] = name;
            _divisionDetails[division] = (vatNumber, chamberOfCommerce, email);
        }
    }

    /// <summary>Gives an existing user access to more divisions (as an accountant is given a new client's administration).</summary>
    public void GrantDivisions(Guid user, params int[] divisions)
    {
        lock (_lock)
        {
            foreach (var division in divisions)
            {
                AddDivision(division, $"Administration {division}");
                _users[user].Divisions.Add(division);
            }
        }
    }

    /// <summary>Rows per page of <c>system/Divisions</c> (Exact's normal page: 60); the rest follows the <c>__next</c> link.</summary>
    public int DivisionsPageSize { get; set; } = 60;

    public void RevokeDivision(Guid user, int division)
    {
        lock (_lock)
        {
            _users[user].Divisions.Remove(division);
        }
    }

    public Guid AddGLAccount(int division, string code, string description) => Seed(division, "financial/GLAccounts", new JsonObject { ["Code"] = code, ["Description"] = description });

    /// <summary>Rows per page of the sync endpoints (Exact answers up to 1,000 and a <c>__next</c> link when the page is full).</summary>
    public int SyncPageSize { get; set; } = 1000;

    /// <summary>A customer (Status C) and/or supplier account with its code (right-aligned to 18 characters, as Exact keeps it).</summary>
    public Guid AddRelation(int division, string code, string name, string? vatNumber = null, bool customer = true, bool supplier = false, string? chamberOfCommerce = null) =>
        Seed(division, "crm/Accounts", new JsonObject
        {
            ["Code"] = code.PadLeft(18),
            ["Name"] = name,
            ["VATNumber"] = vatNumber,
            ["ChamberOfCommerce"] = chamberOfCommerce,
            ["Status"] = customer ? "C" : "A",
            ["IsSupplier"] = supplier,
            ["Blocked"] = false,
        });

    /// <summary>Changes an account as a user would in Exact: its row version (Timestamp) moves on.</summary>
    public void ChangeAccount(int division, Guid id, string field, string? value)
    {
        lock (_lock)
        {
            var row = Table(division, "crm/Accounts").Single(r => Text2(r, "ID") == id.ToString());
            row[field] = value;
            row["Timestamp"] = ++_timestamp;
        }
    }

    /// <summary>A bank account (type A) of a customer or supplier account, with its IBAN.</summary>
    public Guid AddBankAccount(int division, Guid account, string iban) =>
        Seed(division, "crm/BankAccounts", new JsonObject { ["Account"] = account.ToString(), ["BankAccount"] = iban.Replace(" ", string.Empty, StringComparison.Ordinal), ["IBAN"] = iban.Replace(" ", string.Empty, StringComparison.Ordinal), ["Type"] = "A", ["Main"] = true });

    /// <summary>A user deletes an account in Exact: it and its bank accounts are gone, and <c>sync/Deleted</c> lists it (entity type 2).</summary>
    public void DeleteAccount(int division, Guid id)
    {
        lock (_lock)
        {
            Table(division, "crm/Accounts").RemoveAll(r => Text2(r, "ID") == id.ToString());
            Table(division, "crm/BankAccounts").RemoveAll(r => Text2(r, "Account") == id.ToString());
            Table(division, "sync/Deleted").Add(new JsonObject
            {
                ["ID"] = Guid.NewGuid().ToString(),
                ["EntityKey"] = id.ToString(),
                ["EntityType"] = 2,
                ["Division"] = division,
                ["Timestamp"] = ++_timestamp,
            });
        }
    }

    public void AddVatCode(int division, string code, string description, decimal fraction) =>
        Seed(division, "vat/VATCodes", new JsonObject { ["Code"] = code, ["Description"] = description, ["Percentage"] = fraction, ["IsBlocked"] = false });

    public Guid AddAccount(int division, string name, string? vatNumber) => Seed(division, "crm/Accounts", new JsonObject { ["Name"] = name, ["VATNumber"] = vatNumber, ["Code"] = "1".PadLeft(18) });

    /// <summary>What the user's browser would get after signing in: an authorisation code (valid 3 minutes, once).</summary>
    public string IssueCode(Guid user)
    {
        lock (_lock)
        {
            var code = NewSecret("code");
            _codes[code] = (_users[user], _clock.GetUtcNow(), false);
            return code;
        }
    }

    /// <summary>The refresh token a client must use next (the newest issued) for the user.</summary>
    public string? NewestRefreshToken(Guid user)
    {
        lock (_lock)
        {
            return _refreshTokens.Where(t => t.Value.User.Id == user).OrderByDescending(t => t.Value.Sequence).Select(t => t.Key).FirstOrDefault();
        }
    }

    /// <summary>Every refresh token of the user dies (as after 30 days unused): refreshes get 400 invalid_request.</summary>
    public void ExpireRefreshTokens(Guid user)
    {
        lock (_lock)
        {
            _users[user].RefreshTokensExpired = true;
        }
    }

    /// <summary>Every access token stops working now (Exact restarted, token revoked).</summary>
    public void ExpireAccessTokens()
    {
        lock (_lock)
        {
            foreach (var key in _accessTokens.Keys.ToList())
            {
                _accessTokens[key] = (_accessTokens[key].User, _clock.GetUtcNow().AddSeconds(-1));
            }
        }
    }

    /// <summary>The next <paramref name="times"/> API calls get 429 with the minutely reset at <paramref name="minutelyReset"/> (or the day used up).</summary>
    public void RespondTooManyRequests(int times, DateTimeOffset minutelyReset, bool dailyUsedUp = false)
    {
        lock (_lock)
        {
            _tooManyRequests = times;
            _tooManyMinutelyReset = minutelyReset;
            _tooManyDaily = dailyUsedUp;
        }
    }

    /// <summary>The next <paramref name="method"/> API call whose path contains <paramref name="pathPart"/> fails with an OData error body.</summary>
    public void FailNext(string method, string pathPart, int status, string message, string? reasonHeader = null)
    {
        lock (_lock)
        {
            _failNext.Add((method, pathPart, status, message, reasonHeader));
        }
    }

    /// <summary>Someone else used a newer refresh token of the user (another app instance): every token held so far is dead.</summary>
    public void SupersedeRefreshTokens(Guid user)
    {
        lock (_lock)
        {
            _users[user].OldestValidRefresh = long.MaxValue;
        }
    }

    /// <summary>A copy of the rows of one resource (e.g. "salesentry/SalesEntries") in a division.</summary>
    public IReadOnlyList<JsonObject> Rows(int division, string resource)
    {
        lock (_lock)
        {
            return _tables.TryGetValue((division, resource), out var rows) ? rows.Select(r => (JsonObject)r.DeepClone()).ToList() : [];
        }
    }

    /// <summary>The most calls one division took in one minute so far (the limit is <see cref="MinutelyLimit"/>).</summary>
    public int PeakCallsPerDivisionMinute
    {
        get
        {
            lock (_lock)
            {
                return _minuteCalls.Where(c => c.Key.Division != 0).Select(c => c.Value).DefaultIfEmpty().Max();
            }
        }
    }

    /// <summary>The most calls one division took in one day so far (the limit is <see cref="DailyLimit"/>).</summary>
    public int PeakCallsPerDivisionDay
    {
        get
        {
            lock (_lock)
            {
                return _dayCalls.Where(c => c.Key.Division != 0).Select(c => c.Value).DefaultIfEmpty().Max();
            }
        }
    }

    /// <summary>Rows per page of <c>read/financial/ReceivablesList</c> (Exact pages its lists; the rest follows the <c>__next</c> link).</summary>
    public int ReceivablesPageSize { get; set; } = 60;

    /// <summary>The sales entry booked with this YourRef was paid in full: it leaves the receivables list.</summary>
    public void MarkPaid(string yourRef) => Settle(yourRef, null);

    /// <summary>Part of it was paid: the receivables list shows the rest.</summary>
    public void MarkPartlyPaid(string yourRef, decimal amount) => Settle(yourRef, amount);

    /// <summary>The bookkeeper matched the entry with a credit note (booked with <paramref name="creditNoteYourRef"/>, when given): both leave the list.</summary>
    public void MarkCreditNoted(string yourRef, string? creditNoteYourRef = null)
    {
        Settle(yourRef, null);
        if (creditNoteYourRef is not null)
        {
            Settle(creditNoteYourRef, null);
        }
    }

    /// <summary>An open customer item Koppel did not book (an invoice made in Exact itself).</summary>
    public void AddOtherReceivable(int division, string yourRef, decimal amount)
    {
        lock (_lock)
        {
            _otherReceivables.Add((division, new JsonObject { ["EntryNumber"] = ++_entryNumber, ["InvoiceNumber"] = _entryNumber, ["Amount"] = amount, ["YourRef"] = yourRef, ["Description"] = "Invoice " + yourRef, ["CurrencyCode"] = "EUR" }));
        }
    }

    private void Settle(string yourRef, decimal? amount)
    {
        lock (_lock)
        {
            var entry = _tables.Where(t => t.Key.Resource == "salesentry/SalesEntries").SelectMany(t => t.Value).LastOrDefault(r => Text2(r, "YourRef") == yourRef)
                ?? throw new InvalidOperationException($"The fake has no sales entry with YourRef '{yourRef}'.");
            var total = EntryTotal(entry);
            var key = Text2(entry, "EntryID")!;
            _settled[key] = amount is { } paid ? Math.Min(total, _settled.GetValueOrDefault(key) + paid) : total;
        }
    }

    private static decimal EntryTotal(JsonObject entry) =>
        (entry["SalesEntryLines"] as JsonArray ?? []).OfType<JsonObject>().Sum(l => l["AmountFC"]!.GetValue<decimal>() + (l["VATAmountFC"]?.GetValue<decimal>() ?? 0m));

    /// <summary>Open customer items: sales entries not settled in full (signed as booked), then the other items; paged.</summary>
    private IResult Receivables(HttpContext context, int division)
    {
        lock (_lock)
        {
            if (Authenticate(context, division, out _) is { } refused)
            {
                return refused;
            }

            if (string.IsNullOrEmpty(context.Request.Query["$select"]))
            {
                return ODataError(400, "$select is mandatory for this endpoint.");
            }

            var rows = Table(division, "salesentry/SalesEntries")
                .Select(e => (Entry: e, Open: EntryTotal(e) - _settled.GetValueOrDefault(Text2(e, "EntryID")!)))
                .Where(e => e.Open != 0)
                .Select(e => new JsonObject
                {
                    ["EntryNumber"] = e.Entry["EntryNumber"]!.GetValue<int>(),
                    ["InvoiceNumber"] = e.Entry["EntryNumber"]!.GetValue<int>(),
                    ["Amount"] = e.Open,
                    ["AmountInTransit"] = 0m,
                    ["YourRef"] = Text2(e.Entry, "YourRef"),
                    ["Description"] = Text2(e.Entry, "Description"),
                    ["CurrencyCode"] = Text2(e.Entry, "Currency") ?? "EUR",
                })
                .Concat(_otherReceivables.Where(o => o.Division == division).Select(o => (JsonObject)o.Row.DeepClone()))
                .ToList();
            var skip = int.TryParse(context.Request.Query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            var page = rows.Skip(skip).Take(ReceivablesPageSize).ToList();
            var results = new JsonObject { ["results"] = new JsonArray([.. page]) };
            if (skip + page.Count < rows.Count)
            {
                var request = context.Request;
                results["__next"] = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?$select={Uri.EscapeDataString(request.Query["$select"].ToString())}&$skiptoken={skip + page.Count}";
            }

            return Results.Json(new JsonObject { ["d"] = results });
        }
    }

    /// <summary>
    /// Exact's sync endpoints: <c>$filter=Timestamp gt n</c> and <c>$select</c> are required; rows come in Timestamp order,
    /// <see cref="SyncPageSize"/> at most, with a <c>__next</c> link (asking from the page's last Timestamp) when the page is full.
    /// </summary>
    private IResult Sync(HttpContext context, int division, string resource)
    {
        var table = resource switch
        {
            "CRM/Accounts" => "crm/Accounts",
            "Financial/GLAccounts" => "financial/GLAccounts",
            "Deleted" => "sync/Deleted",
            _ => null,
        };
        lock (_lock)
        {
            if (Authenticate(context, division, out _) is { } refused)
            {
                return refused;
            }

            if (table is null)
            {
                return ODataError(404, $"sync/{resource} is not a sync endpoint of this fake.");
            }

            var select = context.Request.Query["$select"].ToString();
            var filter = SyncFilter().Match(context.Request.Query["$filter"].ToString());
            if (select.Length == 0 || !filter.Success)
            {
                return ODataError(400, "Sync endpoints need $select and $filter=Timestamp gt <number>.");
            }

            var since = long.Parse(filter.Groups[1].Value, CultureInfo.InvariantCulture);
            int? entityType = filter.Groups[2].Success ? int.Parse(filter.Groups[2].Value, CultureInfo.InvariantCulture) : null;
            var page = Table(division, table).Where(r => r["Timestamp"]!.GetValue<long>() > since && (entityType is null || r["EntityType"]?.GetValue<int>() == entityType)).OrderBy(r => r["Timestamp"]!.GetValue<long>()).Take(SyncPageSize).Select(r => (JsonObject)r.DeepClone()).ToList();
            var results = new JsonObject { ["results"] = new JsonArray([.. page]) };
            if (page.Count == SyncPageSize)
            {
                var request = context.Request;
                var last = page[^1]["Timestamp"]!.GetValue<long>();
                results["__next"] = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?$filter={Uri.EscapeDataString($"Timestamp gt {last}")}&$select={Uri.EscapeDataString(select)}";
            }

            return Results.Json(new JsonObject { ["d"] = results });
        }
    }

    [GeneratedRegex(@"^Timestamp gt (\d+)(?: and EntityType eq (\d+))?$")]
    private static partial Regex SyncFilter();

    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapGet("/api/oauth2/auth", Authorize);
        routes.MapPost("/api/oauth2/token", (Delegate)TokenAsync);
        routes.MapGet("/api/v1/current/Me", Me);
        routes.MapGet("/api/v1/{division:int}/read/financial/ReceivablesList", (HttpContext c, int division) => Receivables(c, division));
        routes.MapGet("/api/v1/{division:int}/sync/Deleted", (HttpContext c, int division) => Sync(c, division, "Deleted"));
        routes.MapGet("/api/v1/{division:int}/sync/{service}/{resource}", (HttpContext c, int division, string service, string resource) => Sync(c, division, $"{service}/{resource}"));
        routes.MapGet("/api/v1/{division:int}/{service}/{resource}", (HttpContext c, int division, string service, string resource) => Query(c, division, $"{service}/{resource}"));
        routes.MapPost("/api/v1/{division:int}/{service}/{resource}", (HttpContext c, int division, string service, string resource) => CreateAsync(c, division, $"{service}/{resource}"));
    }

    private IResult Authorize(HttpContext context)
    {
        var q = context.Request.Query;
        lock (_lock)
        {
            if (q["client_id"] != ClientId || q["redirect_uri"] != RedirectUri || q["response_type"] != "code")
            {
                return Results.BadRequest("invalid client_id, redirect_uri or response_type");
            }
        }

        var user = ConsentingUser ?? throw new InvalidOperationException("Set ConsentingUser: who signs in at the fake.");
        var code = IssueCode(user);
        return Results.Redirect($"{RedirectUri}?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(q["state"].ToString())}");
    }

    private async Task<IResult> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        var grant = form["grant_type"].ToString();
        if (grant == "refresh_token" && RefreshDelay > TimeSpan.Zero)
        {
            await Task.Delay(RefreshDelay);
        }

        lock (_lock)
        {
            _requests.Add($"POST /api/oauth2/token {grant}");
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
            {
                return OAuthError(400, "invalid_client", "Client authentication failed.");
            }

            FakeUser user;
            if (grant == "authorization_code")
            {
                var code = form["code"].ToString();
                if (!_codes.TryGetValue(code, out var issued) || issued.Used || _clock.GetUtcNow() - issued.IssuedAt > TimeSpan.FromMinutes(3) || form["redirect_uri"] != RedirectUri)
                {
                    return OAuthError(400, "invalid_grant", "The authorization code is invalid or expired.");
                }

                _codes[code] = issued with { Used = true };
                user = issued.User;
                CodeExchangeCount++;
            }
            else if (grant == "refresh_token")
            {
                var token = form["refresh_token"].ToString();
                if (!_refreshTokens.TryGetValue(token, out var held) || held.Sequence < held.User.OldestValidRefresh)
                {
                    RefusedRefreshCount++;
                    return OAuthError(401, "unauthorized_client", "Old refresh token used.");
                }

                if (held.User.RefreshTokensExpired)
                {
                    RefusedRefreshCount++;
                    return OAuthError(400, "invalid_request", $"Refresh token expired on {_clock.GetUtcNow().AddDays(-1):yyyy-MM-dd}.");
                }

                if (RefuseEarlyRefresh && _accessTokens.Values.Where(a => a.User == held.User).Select(a => a.ExpiresAt).DefaultIfEmpty().Max() - _clock.GetUtcNow() > TimeSpan.FromSeconds(30))
                {
                    context.Response.Headers["Reason"] = "Access Token not expired";
                    return OAuthError(401, "invalid_request", "Access token not expired.");
                }

                // Using this token kills every older one; this one stays valid until its successor is used.
                held.User.OldestValidRefresh = held.Sequence;
                user = held.User;
                RefreshCount++;
            }
            else
            {
                return OAuthError(400, "unsupported_grant_type", "Unsupported grant type.");
            }

            var access = NewSecret("at");
            var refresh = NewSecret("rt");
            _accessTokens[access] = (user, _clock.GetUtcNow().AddSeconds(AccessTokenSeconds));
            _refreshTokens[refresh] = (user, ++_sequence);
            return Results.Json(new JsonObject
            {
                ["access_token"] = access,
                ["token_type"] = "bearer",
                ["expires_in"] = AccessTokenSeconds.ToString(CultureInfo.InvariantCulture),
                ["refresh_token"] = refresh,
            });
        }
    }

    private IResult Me(HttpContext context)
    {
        lock (_lock)
        {
            if (Authenticate(context, null, out var user) is { } refused)
            {
                return refused;
            }

            return ODataList([new JsonObject
            {
                ["CurrentDivision"] = user!.Divisions.Order().FirstOrDefault(),
                ["UserID"] = user.Id.ToString(),
                ["UserName"] = user.FullName.Replace(' ', '.').ToLowerInvariant(),
                ["FullName"] = user.FullName,
            }]);
        }
    }

    private IResult Query(HttpContext context, int division, string resource)
    {
        lock (_lock)
        {
            if (Authenticate(context, division, out var user) is { } refused)
            {
                return refused;
            }

            var filter = context.Request.Query["$filter"].ToString();
            if (resource == "system/Divisions")
            {
                var divisions = user!.Divisions.Order().Select(d => new JsonObject
                {
                    ["Code"] = d,
                    ["Description"] = _divisions.GetValueOrDefault(d),
                    ["CustomerName"] = _divisions.GetValueOrDefault(d),
                    ["VATNumber"] = _divisionDetails.GetValueOrDefault(d).VatNumber,
                    ["ChamberOfCommerceNumber"] = _divisionDetails.GetValueOrDefault(d).ChamberOfCommerce,
                    ["Email"] = _divisionDetails.GetValueOrDefault(d).Email,
                }).Where(r => Matches(r, filter)).ToList();
                return Paged(context, divisions, DivisionsPageSize);
            }

            return ODataList(Table(division, resource).Where(r => Matches(r, filter)).Select(r => (JsonObject)r.DeepClone()));
        }
    }

    private async Task<IResult> CreateAsync(HttpContext context, int division, string resource)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        lock (_lock)
        {
            if (Authenticate(context, division, out _) is { } refused)
            {
                return refused;
            }

            if (body is null)
            {
                return ODataError(400, "The body is not a JSON object.");
            }

            if (Validate(division, resource, body) is { } invalid)
            {
                return ODataError(400, invalid);
            }

            var id = Guid.NewGuid().ToString();
            body["Timestamp"] = ++_timestamp;
            if (resource is "salesentry/SalesEntries" or "purchaseentry/PurchaseEntries")
            {
                body["EntryID"] = id;
                body["EntryNumber"] = ++_entryNumber;
            }
            else
            {
                body["ID"] = id;
            }

            Table(division, resource).Add(body);
            if (DropResponseAfterBooking && resource is "salesentry/SalesEntries" or "purchaseentry/PurchaseEntries" or "mailbox/MailMessagesSent")
            {
                DropResponseAfterBooking = false;
                context.Abort();
                return Results.Empty;
            }

            return Results.Json(new JsonObject { ["d"] = body.DeepClone() }, statusCode: 201);
        }
    }

    private string? Validate(int division, string resource, JsonObject body)
    {
        string? Text(string name) => body[name]?.GetValueKind() == JsonValueKind.String ? body[name]!.GetValue<string>() : body[name]?.ToJsonString();
        bool Exists(string table, string? id) => id is not null && Table(division, table).Any(r => string.Equals(Text2(r, "ID"), id, StringComparison.OrdinalIgnoreCase));

        switch (resource)
        {
            case "salesentry/SalesEntries" or "purchaseentry/PurchaseEntries":
                var sales = resource.StartsWith("sales", StringComparison.Ordinal);
                var relation = sales ? "Customer" : "Supplier";
                if (!Exists("crm/Accounts", Text(relation)))
                {
                    return $"{relation}: the account does not exist.";
                }

                if (string.IsNullOrEmpty(Text("Journal")) || string.IsNullOrEmpty(Text("YourRef")))
                {
                    return "Journal and YourRef are mandatory.";
                }

                var type = body["Type"]?.GetValue<int>();
                if (sales ? type is not (20 or 21) : type is not (30 or 31))
                {
                    return $"Type {type} is not valid for this entry.";
                }

                var lines = body[sales ? "SalesEntryLines" : "PurchaseEntryLines"] as JsonArray;
                if (lines is null || lines.Count == 0)
                {
                    return "An entry needs at least one line.";
                }

                foreach (var line in lines.OfType<JsonObject>())
                {
                    if (!Exists("financial/GLAccounts", line["GLAccount"]?.GetValue<string>()))
                    {
                        return "GL account: the GL account does not exist.";
                    }
                }

                return null;
            case "documents/DocumentAttachments":
                return Exists("documents/Documents", Text("Document")) ? null : "Document: the document does not exist.";
            case "mailbox/MailMessagesSent":
                return Table(division, "mailbox/Mailboxes").Any(m => Text2(m, "Mailbox") == Text("RecipientMailbox")) ? null : "RecipientMailbox: unknown mailbox.";
            case "mailbox/MailMessageAttachments":
                return Exists("mailbox/MailMessagesSent", Text("MailMessageID")) ? null : "MailMessageID: the message does not exist.";
            default:
                return null;
        }
    }

    /// <summary>Bearer check, division access, 429 switch and failure injection; every API answer gets rate-limit headers.</summary>
    private IResult? Authenticate(HttpContext context, int? division, out FakeUser? user)
    {
        user = null;
        var request = context.Request;
        _requests.Add($"{request.Method} {request.Path}{request.QueryString}");
        AddRateLimitHeaders(context, division);

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            || !_accessTokens.TryGetValue(header["Bearer ".Length..], out var token)
            || token.ExpiresAt <= _clock.GetUtcNow())
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.StatusCode(401);
        }

        user = token.User;
        if (_tooManyRequests > 0)
        {
            _tooManyRequests--;
            context.Response.Headers["X-RateLimit-Minutely-Remaining"] = "0";
            context.Response.Headers["X-RateLimit-Minutely-Reset"] = _tooManyMinutelyReset.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            if (_tooManyDaily)
            {
                context.Response.Headers["X-RateLimit-Remaining"] = "0";
            }

            return ODataError(429, "API rate limit exceeded.");
        }

        var path = request.Path.Value ?? string.Empty;
        var failure = _failNext.FindIndex(f => request.Method == f.Method && path.Contains(f.PathPart, StringComparison.OrdinalIgnoreCase));
        if (failure >= 0)
        {
            var f = _failNext[failure];
            _failNext.RemoveAt(failure);
            if (f.Reason is not null)
            {
                context.Response.Headers["Reason"] = f.Reason;
            }

            return ODataError(f.Status, f.Message);
        }

        if (division is { } d && !user.Divisions.Contains(d))
        {
            context.Response.Headers["Reason"] = "NoDivisionAccess";
            return ODataError(403, "Forbidden");
        }

        return null;
    }

    private void AddRateLimitHeaders(HttpContext context, int? division)
    {
        var now = _clock.GetUtcNow();
        var minute = now.ToUnixTimeMilliseconds() / 60_000;
        var day = now.ToUnixTimeMilliseconds() / 86_400_000;
        var d = division ?? 0;
        var minuteCalls = _minuteCalls[(d, minute)] = _minuteCalls.GetValueOrDefault((d, minute)) + 1;
        var dayCalls = _dayCalls[(d, day)] = _dayCalls.GetValueOrDefault((d, day)) + 1;
        var headers = context.Response.Headers;
        headers["X-RateLimit-Limit"] = DailyLimit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Remaining"] = Math.Max(0, DailyLimit - dayCalls).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Reset"] = ((day + 1) * 86_400_000).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Minutely-Limit"] = MinutelyLimit.ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Minutely-Remaining"] = Math.Max(0, MinutelyLimit - minuteCalls).ToString(CultureInfo.InvariantCulture);
        headers["X-RateLimit-Minutely-Reset"] = ((minute + 1) * 60_000).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>OData v3 <c>$filter</c>, the part Koppel uses: <c>Field eq 'text'</c>, <c>guid'…'</c> or a number, joined by <c>and</c> or by <c>or</c>.</summary>
    private static bool Matches(JsonObject row, string filter)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return true;
        }

        var clauses = FilterClause().Matches(filter);
        if (clauses.Count == 0)
        {
            throw new InvalidOperationException($"The fake does not understand the filter '{filter}'.");
        }

        // "a or b" (Koppel asks for the bank accounts of several accounts at once), else "a and b".
        var any = filter.Contains(" or ", StringComparison.Ordinal);
        bool Holds(Match clause)
        {
            var field = clause.Groups["field"].Value;
            var expected = clause.Groups["guid"].Success ? clause.Groups["guid"].Value
                : clause.Groups["text"].Success ? clause.Groups["text"].Value.Replace("''", "'", StringComparison.Ordinal)
                : clause.Groups["number"].Value;
            return string.Equals(Text2(row, field), expected, StringComparison.OrdinalIgnoreCase);
        }

        return any ? clauses.Any(Holds) : clauses.All(Holds);
    }

    [GeneratedRegex(@"(?<field>\w+) eq (?:guid'(?<guid>[0-9a-fA-F-]+)'|'(?<text>(?:[^']|'')*)'|(?<number>-?\d+))")]
    private static partial Regex FilterClause();

    private static string? Text2(JsonObject row, string name) =>
        row[name] is { } node ? node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString() : null;

    private Guid Seed(int division, string resource, JsonObject row)
    {
        lock (_lock)
        {
            var id = Guid.NewGuid();
            row["ID"] = id.ToString();
            row["Timestamp"] = ++_timestamp;
            Table(division, resource).Add(row);
            return id;
        }
    }

    private List<JsonObject> Table(int division, string resource)
    {
        if (!_tables.TryGetValue((division, resource), out var rows))
        {
            _tables[(division, resource)] = rows = [];
        }

        return rows;
    }

    /// <summary>A list a page at a time: <c>$skiptoken</c> is the number of rows already given (the fake's own choice; Exact's is opaque).</summary>
    private static IResult Paged(HttpContext context, List<JsonObject> rows, int pageSize)
    {
        var skip = int.TryParse(context.Request.Query["$skiptoken"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var page = rows.Skip(skip).Take(pageSize).ToList();
        var results = new JsonObject { ["results"] = new JsonArray([.. page]) };
        if (skip + page.Count < rows.Count)
        {
            var request = context.Request;
            results["__next"] = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?$select={Uri.EscapeDataString(request.Query["$select"].ToString())}&$skiptoken={skip + page.Count}";
        }

        return Results.Json(new JsonObject { ["d"] = results });
    }

    private static IResult ODataList(IEnumerable<JsonObject> rows) =>
        Results.Json(new JsonObject { ["d"] = new JsonObject { ["results"] = new JsonArray([.. rows]) } });

    private static IResult ODataError(int status, string message) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "", ["message"] = new JsonObject { ["lang"] = "", ["value"] = message } } }, statusCode: status);

    private static IResult OAuthError(int status, string error, string description) =>
        Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);

    private static string NewSecret(string kind) => $"{kind}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";

    private sealed class FakeUser(Guid id, string fullName, HashSet<int> divisions)
    {
        public Guid Id { get; } = id;

        public string FullName { get; } = fullName;

        public HashSet<int> Divisions { get; } = divisions;

        /// <summary>Refresh tokens with a lower sequence are dead: their successor was used.</summary>
        public long OldestValidRefresh { get; set; }

        public bool RefreshTokensExpired { get; set; }
    }
}
