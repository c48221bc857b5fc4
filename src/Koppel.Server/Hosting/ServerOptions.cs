namespace Koppel.Server.Hosting;

/// <summary>Configuration section <c>Koppel:Server</c>: how the self-hosted server picks up and works.</summary>
public sealed class ServerOptions
{
    public const string SectionName = "Koppel:Server";

    /// <summary>How often the inbox is listed (no Event Grid on Azurite, so the server polls).</summary>
    public TimeSpan InboxPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the work queue is asked for messages when it was empty.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait between two asks of an idle job queue (exports, payment polls, relation syncs, webhooks): each
    /// empty receive doubles the wait from <see cref="QueuePollInterval"/> up to this. A job sent by this process is
    /// taken at once; one sent by another instance waits at most this long. Every ask is a billed storage transaction.
    /// </summary>
    public TimeSpan IdleQueuePollLimit { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a received message stays hidden; a worker killed mid-delivery leaves it to reappear after this.</summary>
    public TimeSpan QueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Inbox files read and archived at the same time by this process.</summary>
    public int IngestConcurrency { get; set; } = 4;

    /// <summary>Deliveries handled at the same time by this process.</summary>
    public int DeliveryConcurrency { get; set; } = 4;

    /// <summary>Cron (with seconds) for re-queuing deliveries that stopped moving, in <see cref="TimeZone"/>.</summary>
    public string SweepSchedule { get; set; } = "0 */5 * * * *";

    public string TimeZone { get; set; } = "Europe/Brussels";

    /// <summary>Cron (with seconds) for renewing OAuth consents left unused (Exact's die after ~30 idle days), in <see cref="TimeZone"/>.</summary>
    public string ConsentUpkeepSchedule { get; set; } = "0 30 3 * * *";

    /// <summary>Optional hot folder: files under {DropFolder}/{dossier}/ are moved into the blob inbox.</summary>
    public string? DropFolder { get; set; }

    /// <summary>
    /// How long a drop-folder file's size and modification time must stay the same before it is taken. A writer that
    /// pauses longer should write under a <c>.part</c> or <c>.tmp</c> name and rename the file when it is done.
    /// </summary>
    public TimeSpan DropFolderSettleTime { get; set; } = TimeSpan.FromSeconds(3);
}
