using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Koppel.Connectors.Common;

/// <summary>
/// The resilience pipeline of a provider that publishes no rate limits: a total timeout, a per-attempt timeout, and
/// retries for 5xx, timeouts and network errors on reads only. A write that failed may have booked, so it is never
/// resent blindly; the delivery's own retry looks the booking up first.
/// </summary>
internal static class ReadOnlyRetryPipeline
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, TimeSpan total, TimeSpan perAttempt)
    {
        pipeline.AddTimeout(total);
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromSeconds(1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
            {
                { Exception: HttpRequestException or TimeoutRejectedException } => true,
                { Result: { } response } => (int)response.StatusCode >= 500,
                _ => false,
            }),
        };
        retry.DisableForUnsafeHttpMethods();
        pipeline.AddRetry(retry);
        pipeline.AddTimeout(perAttempt);
    }
}
