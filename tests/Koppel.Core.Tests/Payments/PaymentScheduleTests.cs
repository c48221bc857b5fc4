using Koppel.Core.Payments;

namespace Koppel.Core.Tests.Payments;

public sealed class PaymentScheduleTests
{
    private static readonly TimeSpan TimerInterval = TimeSpan.FromMinutes(5);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void In_winter_the_seven_o_clock_poll_of_a_Brussels_dossier_is_due_at_six_UTC()
    {
        var slot = Assert.Single(PaymentSchedule.DueSlots(Utc(1, 14, 6, 2), TimerInterval, null, null));

        Assert.Equal(Utc(1, 14, 6), slot.DueUtc);
        Assert.Equal(7, slot.Local.Hour);
        Assert.Empty(PaymentSchedule.DueSlots(Utc(1, 14, 7, 2), TimerInterval, null, null));
    }

    [Fact]
    public void In_summer_the_seven_o_clock_poll_is_due_at_five_UTC_and_the_two_o_clock_poll_at_twelve()
    {
        Assert.Equal(7, Assert.Single(PaymentSchedule.DueSlots(Utc(7, 1, 5, 0), TimerInterval, null, null)).Local.Hour);
        Assert.Equal(14, Assert.Single(PaymentSchedule.DueSlots(Utc(7, 1, 12, 4), TimerInterval, null, null)).Local.Hour);
        Assert.Empty(PaymentSchedule.DueSlots(Utc(7, 1, 6, 0), TimerInterval, null, null));
    }

    [Fact]
    public void On_the_last_Sunday_of_March_the_polls_stay_at_seven_and_fourteen_local_time()
    {
        // 29 March 2026: clocks go from 02:00 to 03:00; the offset changes from +01:00 to +02:00.
        var day = PaymentSchedule.DueSlots(Utc(3, 29, 23, 59), TimeSpan.FromHours(24), null, null);

        Assert.Equal([Utc(3, 29, 5), Utc(3, 29, 12)], day.Select(s => s.DueUtc));
        Assert.All(day, s => Assert.Equal(TimeSpan.FromHours(2), s.Local.Offset));
        Assert.Equal([7, 14], day.Select(s => s.Local.Hour));
    }

    [Fact]
    public void On_the_last_Sunday_of_October_the_polls_stay_at_seven_and_fourteen_local_time()
    {
        // 25 October 2026: clocks go from 03:00 back to 02:00; the offset changes from +02:00 to +01:00.
        var day = PaymentSchedule.DueSlots(Utc(10, 25, 23, 59), TimeSpan.FromHours(24), null, null);

        Assert.Equal([Utc(10, 25, 6), Utc(10, 25, 13)], day.Select(s => s.DueUtc));
        Assert.Equal([7, 14], day.Select(s => s.Local.Hour));
    }

    [Fact]
    public void A_slot_in_the_hour_skipped_in_spring_runs_once_right_after_the_gap()
    {
        var day = PaymentSchedule.DueSlots(Utc(3, 29, 23, 59), TimeSpan.FromHours(24), "30 2 * * *", "Europe/Brussels");

        var slot = Assert.Single(day);
        Assert.Equal(Utc(3, 29, 1), slot.DueUtc);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 3, 0, 0, TimeSpan.FromHours(2)), slot.Local);
    }

    [Fact]
    public void A_slot_in_the_hour_repeated_in_autumn_runs_once_not_twice()
    {
        var day = PaymentSchedule.DueSlots(Utc(10, 25, 23, 59), TimeSpan.FromHours(24), "30 2 * * *", "Europe/Brussels");

        var slot = Assert.Single(day);
        Assert.Equal(Utc(10, 25, 0, 30), slot.DueUtc);
        Assert.Equal(TimeSpan.FromHours(2), slot.Local.Offset);
    }

    [Fact]
    public void Timer_firings_every_five_minutes_across_a_whole_DST_day_find_each_slot_exactly_once()
    {
        foreach (var start in new[] { Utc(3, 28, 22), Utc(10, 24, 22) })
        {
            var seen = new List<string>();
            for (var now = start; now < start.AddHours(26); now += TimerInterval)
            {
                seen.AddRange(PaymentSchedule.DueSlots(now, TimerInterval, "30 2,7,14 * * *", "Europe/Brussels").Select(s => s.Key));
            }

            Assert.Equal(3, seen.Count);
            Assert.Equal(seen.Count, seen.Distinct().Count());
        }
    }

    [Fact]
    public void A_dossier_in_another_time_zone_is_polled_at_its_own_seven_o_clock()
    {
        var slot = Assert.Single(PaymentSchedule.DueSlots(Utc(1, 14, 12, 0), TimerInterval, null, "America/New_York"));

        Assert.Equal(7, slot.Local.Hour);
    }

    [Fact]
    public void A_schedule_that_is_no_cron_expression_is_explained()
    {
        Assert.Null(PaymentSchedule.Problem("0 7,14 * * 1-5"));
        Assert.Contains("5 fields", PaymentSchedule.Problem("at seven"), StringComparison.Ordinal);
    }
}
