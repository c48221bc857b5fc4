namespace Koppel.Azure;

/// <summary>The broker cannot take work right now (throttled, down, unreachable); sending again later may succeed.</summary>
public sealed class WorkQueueUnavailableException : Exception
{
    public WorkQueueUnavailableException(string message, TimeSpan? retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long the broker asked us to wait, when it said so.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>The broker refused the work for a reason that retrying will not fix (no permission, no such queue, bad message).</summary>
public sealed class WorkQueueRejectedException : Exception
{
    public WorkQueueRejectedException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
