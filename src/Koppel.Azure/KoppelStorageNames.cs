using System.Text.RegularExpressions;

namespace Koppel.Azure;

/// <summary>
/// Names of every container, table and queue Koppel uses. A prefix lets several installations (or test runs)
/// share one storage account without seeing each other's data.
/// </summary>
public sealed partial record KoppelStorageNames
{
    public KoppelStorageNames(string prefix = "")
    {
        if (!ValidPrefix().IsMatch(prefix))
        {
            throw new ArgumentException(
                $"Storage name prefix '{prefix}' is invalid: use at most 20 lower-case letters and digits, starting with a letter " +
                "(table names allow no hyphens, container and queue names no upper case).",
                nameof(prefix));
        }

        Prefix = prefix;
    }

    public string Prefix { get; }

    public string InboxContainer => Prefix + "inbox";

    public string ArchiveContainer => Prefix + "archive";

    public string QuarantineContainer => Prefix + "quarantine";

    public string DossiersTable => Prefix + "dossiers";

    public string ConnectionsTable => Prefix + "connections";

    public string DocumentsTable => Prefix + "documents";

    public string DeliveriesTable => Prefix + "deliveries";

    public string RunLogTable => Prefix + "runlog";

    public string HistoryTable => Prefix + "history";

    public string SecretsTable => Prefix + "secrets";

    /// <summary>Short leases that make an OAuth token refresh single-flight across processes.</summary>
    public string LeasesTable => Prefix + "leases";

    /// <summary>Daily call counters of providers with a call quota (Yuki).</summary>
    public string QuotaTable => Prefix + "quota";

    /// <summary>Sales invoices whose payment Koppel follows, and the payments recorded against them.</summary>
    public string PaymentsTable => Prefix + "payments";

    /// <summary>Payment-poll slots claimed per dossier (each slot runs once, across timer firings and hosts).</summary>
    public string PollSlotsTable => Prefix + "pollslots";

    /// <summary>Delivered documents whose fate at the target is still read back (acknowledgement folders, provider status).</summary>
    public string ReadBackTable => Prefix + "readback";
    /// <summary>Customers, suppliers, ledger accounts and VAT codes synced per dossier and connection, with their lookup rows.</summary>
    public string RelationsTable => Prefix + "relations";

    public string DeliveryQueue => Prefix + "deliveries";

    public string DeliveryPoisonQueue => PoisonQueueFor(DeliveryQueue);

    /// <summary>Manual export jobs; the Functions app's queue trigger listens on <see cref="ExportJobQueueName"/> (no prefix).</summary>
    public string ExportQueue => Prefix + ExportJobQueueName;

    public string ExportPoisonQueue => PoisonQueueFor(ExportQueue);

    /// <summary>The export queue's name without a prefix, a constant the Functions trigger attribute can name.</summary>
    public const string ExportJobQueueName = "exports";

    /// <summary>Every published event as CloudEvents JSON, by hour, for batch consumers.</summary>
    public string EventsContainer => Prefix + "events";

    /// <summary>The platform's webhook subscriptions.</summary>
    public string WebhooksTable => Prefix + "webhooks";

    /// <summary>Events a webhook did not take within the attempt limit.</summary>
    public string WebhookDeadLettersTable => Prefix + "webhookdeadletters";

    /// <summary>Webhook posts; the Functions app's queue trigger listens on <see cref="WebhookQueueName"/> (no prefix).</summary>
    public string WebhookQueue => Prefix + WebhookQueueName;

    public string WebhookPoisonQueue => PoisonQueueFor(WebhookQueue);

    public const string WebhookQueueName = "webhooks";

    /// <summary>Payment poll jobs; the Functions app's queue trigger listens on <see cref="PollJobQueueName"/> (no prefix).</summary>
    public string PollQueue => Prefix + PollJobQueueName;

    public string PollPoisonQueue => PoisonQueueFor(PollQueue);

    /// <summary>The poll queue's name without a prefix, a constant the Functions trigger attribute can name.</summary>
    public const string PollJobQueueName = "polls";

    /// <summary>Relation sync jobs; the Functions app's queue trigger listens on <see cref="RelationSyncQueueName"/> (no prefix).</summary>
    public string RelationSyncQueue => Prefix + RelationSyncQueueName;

    public string RelationSyncPoisonQueue => PoisonQueueFor(RelationSyncQueue);

    public const string RelationSyncQueueName = "relationsyncs";

    /// <summary>Where messages of <paramref name="queue"/> go that can never be processed.</summary>
    public static string PoisonQueueFor(string queue) => queue + "-poison";

    [GeneratedRegex("^([a-z][a-z0-9]{0,19})?$")]
    private static partial Regex ValidPrefix();
}
