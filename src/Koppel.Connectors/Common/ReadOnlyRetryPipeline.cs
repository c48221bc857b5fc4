using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Koppel.Connectors.Common;

/// <summary>
/// The resilience pipeline of a provider that publishes no rate limits: a total timeout, a per-attempt timeout, and
/// retries for 5xx, timeouts and network errors on reads only. A write that failed may have booked, so it is never
/// resent blindly; the delivery's own retry looks the booking up first.
/// <para>
/// A provider whose reads are POSTs (Dropbox's RPC calls) says which requests are reads with <c>isRead</c>. With
/// <c>handBackRetryAfter</c>, an answer that carries Retry-After is never retried here: the provider asked to wait, and
/// the delivery waits as long as it says instead of holding a worker.
/// </para>
/// </summary>
internal static class ReadOnlyRetryPipeline
{
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, TimeSpan total, TimeSpan perAttempt, Func<HttpRequestMessage, bool>? isRead = null, bool handBackRetryAfter = false)
    {
        pipeline.AddTimeout(total);
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = 2,
            Delay = TimeSpan.FromSeconds(1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(
                (isRead is null || (args.Context.GetRequestMessage() is { } request && isRead(request)))
                && args.Outcome switch
                {
                    { Exception: HttpRequestException or TimeoutRejectedException } => true,
                    { Result: { } response } => (int)response.StatusCode >= 500 && !(handBackRetryAfter && response.Headers.RetryAfter is not null),
                    _ => false,
                }),
        };
        if (isRead is null)
        {
            retry.DisableForUnsafeHttpMethods();
        }

        pipeline.AddRetry(retry);
        pipeline.AddTimeout(perAttempt);
    }
}
