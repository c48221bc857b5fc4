using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Koppel.Core.Ports;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Koppel.Connectors.Yuki;

internal sealed record YukiAdministration(Guid Id, string Name, string? DomainId)
{
    /// <summary>The company's registration numbers, when the answer carries them (not documented: read if present).</summary>
    public string? CoCNumber { get; init; }

    public string? VatNumber { get; init; }

    public string? Email { get; init; }
}

/// <summary>A Yuki session with what was learnt when it was opened: the administrations the key reaches.</summary>
internal sealed record YukiSession(string Id, string QuotaScope, IReadOnlyList<YukiAdministration> Administrations)
{
    /// <summary>A domain key reaches every administration of its domain; an administration key only its own.</summary>
    public bool IsDomainKey => Administrations.Count > 1;
}

/// <summary>The daily quota of the domain is used up (counted by Koppel, or said so by Yuki).</summary>
internal sealed class YukiQuotaReachedException(DateTimeOffset resumeAt)
    : Exception("The Yuki quota of this domain is used up for today.")
{
    public DateTimeOffset ResumeAt { get; } = resumeAt;
}

/// <summary>
/// Everything that talks to Yuki goes through here: sessions (one per key, reused for
/// <see cref="YukiOptions.SessionLifetime"/>, renewed once on an invalid-session fault) and the daily quota (every
/// call that goes on the wire, Authenticate and retries included, is taken from the domain's shared counter first).
/// </summary>
internal sealed class YukiGateway
{
    /// <summary>
    /// Calls kept back from ordinary work for opening sessions of keys whose domain this instance does not know yet:
    /// their Authenticate and Administrations calls can only be counted once the answer names the domain.
    /// </summary>
    internal const int DiscoveryReserve = 10;

    /// <summary>The service used to authenticate and list administrations (every Yuki service offers both).</summary>
    private const string DiscoveryService = "Archive";

    private static readonly TimeZoneInfo YukiZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Brussels");
    private static readonly TimeSpan DomainMemory = TimeSpan.FromDays(30);

    private readonly IHttpClientFactory _httpFactory;
    private readonly YukiOptions _options;
    private readonly IDailyQuota _quota;
    private readonly IMemoryCache _cache;
    private readonly TimeProvider _clock;

    public YukiGateway(IHttpClientFactory httpFactory, IOptions<YukiOptions> options, IDailyQuota quota, IMemoryCache cache, TimeProvider clock)
    {
        _httpFactory = httpFactory;
        _options = options.Value;
        _quota = quota;
        _cache = cache;
        _clock = clock;
    }

    /// <summary>The cached session of this key, or a new one (Authenticate + Administrations).</summary>
    public async Task<YukiSession> SessionAsync(YukiSettings settings, bool fresh, CancellationToken cancellationToken)
    {
        var key = KeyId(settings);
        if (!fresh && _cache.TryGetValue(SessionCacheKey(key), out YukiSession? cached) && cached is not null)
        {
            return cached;
        }

        _cache.TryGetValue(DomainCacheKey(key), out string? knownScope);
        var uncounted = 0;
        var count = knownScope is null ? CountLater : CounterFor(knownScope, settings);

        Task CountLater(CancellationToken cancellationToken)
        {
            uncounted++;
            return Task.CompletedTask;
        }

        var sessionId = await AuthenticateAsync(settings, count, cancellationToken);
        var administrations = await ListAdministrationsAsync(settings, sessionId, count, cancellationToken);
        var scope = ScopeOf(settings, administrations, key);
        if (knownScope is null)
        {
            _cache.Set(DomainCacheKey(key), scope, new MemoryCacheEntryOptions { SlidingExpiration = DomainMemory });
            if (!await _quota.TryConsumeAsync(scope, Today(), uncounted, settings.DailyQuota, cancellationToken))
            {
                throw new YukiQuotaReachedException(ResumeAt());
            }
        }

        var session = new YukiSession(sessionId, scope, administrations);
        _cache.Set(SessionCacheKey(key), session, _options.SessionLifetime);
        return session;
    }

    /// <summary>
    /// Calls an operation with the key's session (its id is passed to <paramref name="parameters"/>, which must use
    /// the operation's own spelling of the parameter names). On an invalid-session fault the key authenticates again
    /// once and the call is repeated; a second such fault is passed on.
    /// </summary>
    public async Task<XElement?> CallAsync(
        YukiSettings settings,
        string service,
        string operation,
        Func<string, IReadOnlyList<SoapParameter>> parameters,
        bool idempotent,
        CancellationToken cancellationToken)
    {
        var session = await SessionAsync(settings, fresh: false, cancellationToken);
        try
        {
            return await SendAsync(settings, service, operation, parameters(session.Id), idempotent, CounterFor(session.QuotaScope, settings), cancellationToken);
        }
        catch (YukiFaultException e) when (YukiFaults.Classify(operation, e.FaultString) == YukiFaultKind.InvalidSession)
        {
            var renewed = await RenewAsync(settings, session, cancellationToken);
            return await SendAsync(settings, service, operation, parameters(renewed.Id), idempotent, CounterFor(renewed.QuotaScope, settings), cancellationToken);
        }
    }

    /// <summary>The next moment the quota is worth trying again: 00:05 tomorrow, Belgian time.</summary>
    public DateTimeOffset ResumeAt()
    {
        var tomorrow = Today().AddDays(1).ToDateTime(new TimeOnly(0, 5));
        return new DateTimeOffset(tomorrow, YukiZone.GetUtcOffset(tomorrow));
    }

    private DateOnly Today() => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(_clock.GetUtcNow(), YukiZone).DateTime);

    /// <summary>Yuki's calendar day at <paramref name="now"/>: its quota turns over at midnight, Belgian time.</summary>
    public static DateOnly QuotaDay(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, YukiZone).DateTime);

    /// <summary>
    /// The calls Koppel counted for the key's quota on <paramref name="day"/>. The domain is known from an earlier session
    /// of this process; otherwise a session is opened (two calls, counted like any other) to learn it.
    /// </summary>
    public async Task<(string Scope, int Used)> UsageAsync(YukiSettings settings, DateOnly day, CancellationToken cancellationToken)
    {
        if (!_cache.TryGetValue(DomainCacheKey(KeyId(settings)), out string? scope) || scope is null)
        {
            scope = (await SessionAsync(settings, fresh: false, cancellationToken)).QuotaScope;
        }

        return (scope, await _quota.UsedAsync(scope, day, cancellationToken));
    }

    private async Task<YukiSession> RenewAsync(YukiSettings settings, YukiSession expired, CancellationToken cancellationToken)
    {
        var sessionId = await AuthenticateAsync(settings, CounterFor(expired.QuotaScope, settings), cancellationToken);
        var renewed = expired with { Id = sessionId };
        _cache.Set(SessionCacheKey(KeyId(settings)), renewed, _options.SessionLifetime);
        return renewed;
    }

    private async Task<string> AuthenticateAsync(YukiSettings settings, Func<CancellationToken, Task> count, CancellationToken cancellationToken)
    {
        var result = await SendAsync(settings, DiscoveryService, "Authenticate", [new("accessKey", settings.ApiKey)], idempotent: true, count, cancellationToken);
        var sessionId = result?.Value.Trim();
        return string.IsNullOrEmpty(sessionId)
            ? throw new YukiFaultException("Authenticate", "Yuki gave no session for this access key.")
            : sessionId;
    }

    private async Task<IReadOnlyList<YukiAdministration>> ListAdministrationsAsync(
        YukiSettings settings, string sessionId, Func<CancellationToken, Task> count, CancellationToken cancellationToken)
    {
        var result = await SendAsync(settings, DiscoveryService, "Administrations", [new("sessionID", sessionId)], idempotent: true, count, cancellationToken);
        var document = YukiSoapClient.ResultDocument(result);
        if (document is null)
        {
            return [];
        }

        // <Administrations><Administration ID="guid"><Name/>…<DomainID/></Administration>… (shape from 3rd-party fixtures).
        return document.DescendantsAndSelf()
            .Where(e => e.Name.LocalName == "Administration")
            .Select(e => (Id: e.Attribute("ID")?.Value ?? Child(e, "ID"), Element: e))
            .Where(a => Guid.TryParse(a.Id, out _))
            .Select(a => new YukiAdministration(Guid.Parse(a.Id!), Child(a.Element, "Name") ?? a.Id!, Child(a.Element, "DomainID"))
            {
                CoCNumber = Child(a.Element, "CoCNumber"),
                VatNumber = Child(a.Element, "VATNumber"),
                Email = Child(a.Element, "EmailAddress"),
            })
            .ToList();
    }

    private async Task<XElement?> SendAsync(
        YukiSettings settings,
        string service,
        string operation,
        IReadOnlyList<SoapParameter> parameters,
        bool idempotent,
        Func<CancellationToken, Task> count,
        CancellationToken cancellationToken)
    {
        var client = new YukiSoapClient(_httpFactory.CreateClient(YukiSoapClient.HttpClientName));
        try
        {
            return await client.CallAsync(_options.BaseUrlFor(settings.Country), service, operation, parameters, idempotent, count, cancellationToken);
        }
        catch (YukiFaultException e) when (YukiFaults.Classify(operation, e.FaultString) == YukiFaultKind.QuotaReached)
        {
            throw new YukiQuotaReachedException(ResumeAt());
        }
    }

    /// <summary>Takes one call from the domain's counter, keeping <see cref="DiscoveryReserve"/> back; refuses when used up.</summary>
    private Func<CancellationToken, Task> CounterFor(string scope, YukiSettings settings) => async cancellationToken =>
    {
        if (!await _quota.TryConsumeAsync(scope, Today(), 1, settings.DailyQuota - DiscoveryReserve, cancellationToken))
        {
            throw new YukiQuotaReachedException(ResumeAt());
        }
    };

    /// <summary>The counter's scope: the Yuki domain (its quota is per domain), else the key itself.</summary>
    private static string ScopeOf(YukiSettings settings, IReadOnlyList<YukiAdministration> administrations, string keyId)
    {
        var domain = administrations.Select(a => a.DomainId).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d));
        var scope = domain is null ? $"yuki-{settings.Country}-key-{keyId}" : $"yuki-{settings.Country}-{domain.Trim()}";
        return new string(scope.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray());
    }

    /// <summary>A short hash of host and key: cache entries never hold the key itself.</summary>
    private static string KeyId(YukiSettings settings) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{settings.Country}:{settings.ApiKey}")))[..24];

    private static string SessionCacheKey(string keyId) => "yuki-session:" + keyId;

    private static string DomainCacheKey(string keyId) => "yuki-domain:" + keyId;

    private static string? Child(XElement element, string name) =>
        element.Elements().FirstOrDefault(c => c.Name.LocalName == name)?.Value.Trim() is { Length: > 0 } value ? value : null;
}
