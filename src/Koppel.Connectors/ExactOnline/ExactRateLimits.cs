using System.Globalization;
using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Koppel.Connectors.ExactOnline;

/// <summary>
/// Keeps Koppel under Exact's limits per division (60 calls a minute, 5,000 a day by default): a sliding-window limiter
/// chained with a daily fixed window, partitioned by the division in the request path, used by the named resilience
/// pipeline. Calls wait for a minute's permit; a used-up day is refused at once. What Exact reports back in its
/// <c>X-RateLimit-*</c> headers wins over the local count (other apps' calls, other processes), so a day Exact says is
/// used up is remembered until its reset.
/// </summary>
internal sealed class ExactRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<HttpRequestMessage> _limiter;
    private readonly IMemoryCache _cache;
    private readonly TimeProvider _clock;

    public ExactRateLimits(IOptions<ExactOnlineOptions> options, IMemoryCache cache, TimeProvider clock)
    {
        var o = options.Value;
        _cache = cache;
        _clock = clock;
        var perMinute = PartitionedRateLimiter.Create<HttpRequestMessage, string>(request =>
            DivisionOf(request) is { } division
                ? RateLimitPartition.GetSlidingWindowLimiter(division, _ => new SlidingWindowRateLimiterOptions
                {
                    PermitLimit = o.CallsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    SegmentsPerWindow = 6,
                    QueueLimit = o.CallsPerMinute * 2,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                })
                : RateLimitPartition.GetNoLimiter(string.Empty));
        var perDay = PartitionedRateLimiter.Create<HttpRequestMessage, string>(request =>
            DivisionOf(request) is { } division
                ? RateLimitPartition.GetFixedWindowLimiter(division, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = o.CallsPerDay,
                    Window = TimeSpan.FromDays(1),
                    QueueLimit = 0,
                })
                : RateLimitPartition.GetNoLimiter(string.Empty));
        _limiter = PartitionedRateLimiter.CreateChained(perMinute, perDay);
    }

    public ValueTask<RateLimitLease> AcquireAsync(HttpRequestMessage? request, CancellationToken cancellationToken) =>
        request is null ? ValueTask.FromResult(NoLease.Instance) : _limiter.AcquireAsync(request, 1, cancellationToken);

    /// <summary>Remembers a used-up day that Exact reported for <paramref name="division"/>.</summary>
    public void Observe(int division, HttpResponseHeaders? headers)
    {
        var seen = ExactRateLimitHeaders.From(headers);
        if (seen.DailyRemaining == 0 && seen.DailyReset is { } reset && reset > _clock.GetUtcNow())
        {
            _cache.Set(DailyKey(division), reset, reset);
        }
    }

    /// <summary>When Exact said the day's calls for the division are used up: the moment they come back; else null.</summary>
    public DateTimeOffset? DailyQuotaUsedUpUntil(int division) =>
        _cache.TryGetValue(DailyKey(division), out DateTimeOffset reset) && reset > _clock.GetUtcNow() ? reset : null;

    public void Dispose() => _limiter.Dispose();

    private static string DailyKey(int division) => "exact-online:daily-used-up:" + division.ToString(CultureInfo.InvariantCulture);

    /// <summary>The division of <c>/api/v1/{division}/…</c>; null for sign-in and <c>current/Me</c>, which are not counted per division.</summary>
    internal static string? DivisionOf(HttpRequestMessage request)
    {
        var segments = request.RequestUri?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        for (var i = 0; i + 2 < segments.Length; i++)
        {
            if (segments[i] == "api" && segments[i + 1] == "v1" && int.TryParse(segments[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return segments[i + 2];
            }
        }

        return null;
    }

    private sealed class NoLease : RateLimitLease
    {
        public static readonly RateLimitLease Instance = new NoLease();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
