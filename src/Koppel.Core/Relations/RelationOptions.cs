using Koppel.Core.Payments;

namespace Koppel.Core.Relations;

/// <summary>Configuration section <c>Koppel:Relations</c>: when customers, suppliers, ledger accounts and VAT codes are synced.</summary>
public sealed class RelationOptions
{
    public const string SectionName = "Koppel:Relations";

    public const string DefaultSchedule = "0 2 * * *";

    /// <summary>Cron (5 fields) of the nightly sync, in each dossier's own time zone. Default 02:00.</summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>A slot found late (an outage) is still run up to this long after its time.</summary>
    public TimeSpan CatchUp { get; set; } = TimeSpan.FromHours(3);

    /// <summary>How often the self-hosted server's timer looks for due slots (the Functions timer: every 5 minutes).</summary>
    public TimeSpan TimerInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A slot claimed by a firing that crashed before queuing is taken over after this long.</summary>
    public TimeSpan TakeOverClaimAfter { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Pick-ups of a sync job before the server's pump drops it (the Functions trigger: maxDequeueCount).</summary>
    public int MaxJobAttempts { get; set; } = 5;

    /// <summary>Pages of parties one sync reads at most; the rest waits for the next sync (it goes on from the watermark).</summary>
    public int MaxPagesPerSync { get; set; } = 500;

    /// <summary>Null when the schedule is usable, else what is wrong with it.</summary>
    public string? Problem() => PaymentSchedule.Problem(Schedule);
}
