using Koppel.Core.Delivery;

namespace Koppel.Core.Tests.Delivery;

public class RetryPolicyTests
{
    private readonly DeliveryOptions _options = new() { FirstRetryDelay = TimeSpan.FromSeconds(10), MaxRetryDelay = TimeSpan.FromMinutes(10), MaxAttempts = 5 };

    [Fact]
    public void Delays_double_per_failure_within_the_jitter_band()
    {
        var low = new RetryPolicy(_options, () => 0.0);
        var high = new RetryPolicy(_options, () => 1.0);
        Assert.Equal(TimeSpan.FromSeconds(5), low.DelayAfter(1, null));
        Assert.Equal(TimeSpan.FromSeconds(10), high.DelayAfter(1, null));
        Assert.Equal(TimeSpan.FromSeconds(20), low.DelayAfter(3, null));
        Assert.Equal(TimeSpan.FromSeconds(40), high.DelayAfter(3, null));
    }

    [Fact]
    public void Delays_never_exceed_the_cap()
    {
        var policy = new RetryPolicy(_options, () => 1.0);
        Assert.Equal(TimeSpan.FromMinutes(10), policy.DelayAfter(30, null));
    }

    [Fact]
    public void A_longer_retry_after_from_the_provider_wins()
    {
        var policy = new RetryPolicy(_options, () => 0.5);
        Assert.Equal(TimeSpan.FromMinutes(3), policy.DelayAfter(1, TimeSpan.FromMinutes(3)));
        Assert.True(policy.DelayAfter(4, TimeSpan.FromSeconds(1)) > TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Dead_letters_at_the_attempt_limit()
    {
        var policy = new RetryPolicy(_options);
        Assert.False(policy.ShouldDeadLetter(4));
        Assert.True(policy.ShouldDeadLetter(5));
    }
}
