using Cronos;

namespace Koppel.Core.ReadBack;

/// <summary>Configuration section <c>Koppel:ReadBack</c>: reading back what file targets and providers did with each document.</summary>
public sealed class ReadBackOptions
{
    public const string SectionName = "Koppel:ReadBack";

    /// <summary>Cron (5 fields: minute hour day month weekday, UTC) of the read-back runs. Default: every 30 minutes.</summary>
    public string Schedule { get; set; } = "*/30 * * * *";

    /// <summary>A delivery the target says nothing final about for this long is no longer asked about (the history says so).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>References handed to a connector in one call.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>A change claimed by a run that stopped before writing its history line is written by a later run after this long.</summary>
    public TimeSpan ClaimTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The next run after <paramref name="after"/> on <see cref="Schedule"/>, or null when the schedule never fires again.</summary>
    public DateTimeOffset? NextRun(DateTimeOffset after) =>
        CronExpression.Parse(Schedule, CronFormat.Standard).GetNextOccurrence(after, TimeZoneInfo.Utc);
}

/// <summary>What one read-back run did, over every connection.</summary>
public sealed record ReadBackSummary(int Connections, int Asked, int Calls, int Changes, int GaveUp, int NotUsed, int FailedConnections);
