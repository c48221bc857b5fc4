using Koppel.Azure.Queues;
using Koppel.Core.Payments;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Hosting;

/// <summary>
/// The self-hosted stand-in for the Functions app's <c>QueuePaymentPolls</c> timer: every
/// <see cref="PaymentOptions.TimerInterval"/> (in UTC) it lets <see cref="PaymentPollScheduler"/> decide which dossiers'
/// local 07:00 / 14:00 slots are due and queue their polls. A failed firing is logged; the next one runs on time and
/// still picks up the missed slots within <see cref="PaymentOptions.CatchUp"/>.
/// </summary>
public sealed class PaymentPollLoop(PaymentPollScheduler scheduler, TimeProvider clock, IOptions<PaymentOptions> options, ILogger<PaymentPollLoop> logger)
    : IntervalTimerLoop(clock, logger)
{
    protected override TimeSpan Interval => options.Value.TimerInterval;

    protected override string Name => "The payment timer";

    protected override Task FireAsync(CancellationToken stoppingToken) => scheduler.FanOutAsync(stoppingToken);
}

/// <summary>
/// The self-hosted stand-in for the Functions <c>PollPayments</c> queue trigger: takes poll jobs from <c>{prefix}polls</c>
/// and runs them. A job that throws (storage outage) comes back after the visibility timeout, up to
/// <see cref="PaymentOptions.MaxJobAttempts"/> pick-ups; then it is dropped with a log line (the next slot polls again).
/// No failure stops this loop.
/// </summary>
public sealed class PollJobPump(StorageQueuePollJobs queue, PaymentPollHandler polls, IOptions<ServerOptions> server, IOptions<PaymentOptions> payments, ILogger<PollJobPump> logger)
    : JobQueuePump<PollJob>(queue, server, logger)
{
    protected override int BatchSize => 4;

    protected override int? MaxAttempts => payments.Value.MaxJobAttempts;

    protected override string WhenDropped => "the next slot polls again";

    protected override Task HandleAsync(ReceivedJob<PollJob> work, CancellationToken stoppingToken) =>
        polls.RunAsync(work.Job, stoppingToken);

    protected override string Describe(PollJob job) =>
        $"Payment poll of connection {job.ConnectionId} (dossier {job.DossierId}, slot {job.Slot})";
}
