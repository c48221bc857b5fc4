using Koppel.Core.Payments;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Payments;

/// <summary>
/// Every five minutes (UTC): queue the payment polls whose local slot (07:00 / 14:00 in the dossier's time zone by
/// default) is due. The wall-clock time is decided in code (<see cref="PaymentSchedule"/>): cron runs in UTC on Flex
/// Consumption, so a "0 0 7 * * *" trigger would drift an hour at each daylight-saving change. Each slot is claimed once.
/// </summary>
public sealed class QueuePaymentPollsFunction(PaymentPollScheduler scheduler)
{
    [Function(nameof(QueuePaymentPolls))]
    public Task QueuePaymentPolls([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        scheduler.FanOutAsync(cancellationToken);
}
