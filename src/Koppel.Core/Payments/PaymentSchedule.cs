using System.Globalization;
using Cronos;

namespace Koppel.Core.Payments;

/// <summary>Configuration section <c>Koppel:Payments</c>: when payments are polled.</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Koppel:Payments";

    /// <summary>
    /// Cron (5 fields: minute hour day month weekday) of the polls, in each dossier's own time zone. A dossier may set
    /// its own (<see cref="Domain.Dossier.PaymentSchedule"/>). Default: 07:00 and 14:00.
    /// </summary>
    public string Schedule { get; set; } = PaymentSchedule.Default;

    /// <summary>
    /// How long after its time a slot is still run when the timer only gets to it late (an outage, a slow start). A slot
    /// is run once whatever the number of timer firings or hosts; one older than this is skipped (the next slot polls anyway).
    /// </summary>
    public TimeSpan CatchUp { get; set; } = TimeSpan.FromHours(2);

    /// <summary>How often the self-hosted server's timer looks for due slots (the Functions timer fires every 5 minutes).</summary>
    public TimeSpan TimerInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A slot claimed by a firing that did not finish queuing its polls (a crash) is taken over after this long.</summary>
    public TimeSpan TakeOverClaimAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// "Poll now" asked through the API polls at most once per such window per dossier: every poll spends calls of the
    /// provider's quota (Yuki counts per domain and day), and a button pressed ten times must not spend ten.
    /// </summary>
    public TimeSpan ManualPollInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Pick-ups of a poll job message before it is given up (the Functions queue trigger's maxDequeueCount).</summary>
    public int MaxJobAttempts { get; set; } = 5;
}

/// <summary>One scheduled poll of a dossier: the instant it is due, its wall-clock time in the dossier's zone, and its claim key.</summary>
public sealed record PollSlot(DateTimeOffset DueUtc, DateTimeOffset Local)
{
    /// <summary>The same for every host and firing: the slot's UTC instant to the minute.</summary>
    public string Key => DueUtc.UtcDateTime.ToString("yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// Which payment-poll slots are due. Timers fire in UTC (Azure's always do on Flex Consumption); the wall-clock times
/// (07:00 and 14:00 in Europe/Brussels) are decided here, with Cronos in the dossier's time zone, so they stay 07:00 and
/// 14:00 across both daylight-saving changes. In the hour that is skipped in spring, a slot inside it runs at the first
/// minute after the gap; in the hour that repeats in autumn, it runs once (at its first occurrence).
/// </summary>
public static class PaymentSchedule
{
    public const string Default = "0 7,14 * * *";

    public const string DefaultTimeZone = "Europe/Brussels";

    /// <summary>The slots that fell due in (<paramref name="nowUtc"/> − <paramref name="catchUp"/>, <paramref name="nowUtc"/>].</summary>
    public static IReadOnlyList<PollSlot> DueSlots(DateTimeOffset nowUtc, TimeSpan catchUp, string? cron, string? timeZoneId)
    {
        var expression = Parse(cron);
        var zone = Zone(timeZoneId);
        var to = nowUtc.UtcDateTime;
        var from = to - catchUp;
        return expression.GetOccurrences(from, to, zone, fromInclusive: false, toInclusive: true)
            .Select(utc => new PollSlot(new DateTimeOffset(utc, TimeSpan.Zero), TimeZoneInfo.ConvertTime(new DateTimeOffset(utc, TimeSpan.Zero), zone)))
            .ToList();
    }

    /// <summary>The next slot after <paramref name="afterUtc"/>, for display and for the server's timer.</summary>
    public static PollSlot? Next(DateTimeOffset afterUtc, string? cron, string? timeZoneId)
    {
        var zone = Zone(timeZoneId);
        return Parse(cron).GetNextOccurrence(afterUtc, zone) is { } next ? new PollSlot(next.ToUniversalTime(), TimeZoneInfo.ConvertTime(next, zone)) : null;
    }

    /// <summary>Null when <paramref name="cron"/> is a usable schedule, else what is wrong with it in the user's words.</summary>
    public static string? Problem(string? cron)
    {
        try
        {
            Parse(cron);
            return null;
        }
        catch (CronFormatException e)
        {
            return $"'{cron}' is not a schedule: give a cron expression of 5 fields (minute hour day month weekday), e.g. '{Default}' for 07:00 and 14:00 ({e.Message}).";
        }
    }

    private static CronExpression Parse(string? cron) => CronExpression.Parse(string.IsNullOrWhiteSpace(cron) ? Default : cron.Trim(), CronFormat.Standard);

    private static TimeZoneInfo Zone(string? timeZoneId) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrWhiteSpace(timeZoneId) ? DefaultTimeZone : timeZoneId, out var zone)
            ? zone
            : TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);
}
