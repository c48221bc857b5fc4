using Koppel.Core.ReadBack;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Delivery;

/// <summary>
/// Every 30 minutes: ask file targets and providers what became of documents delivered earlier and write each change
/// into the document's history (<see cref="ReadBackHandler"/>). Fixed like the other timers of the app (UTC); the
/// self-hosted server takes its schedule from <c>Koppel:ReadBack:Schedule</c>.
/// </summary>
public sealed class ReadBackFunction(ReadBackHandler readBack)
{
    [Function(nameof(ReadBack))]
    public Task ReadBack([TimerTrigger("0 */30 * * * *")] TimerInfo timer, CancellationToken cancellationToken) =>
        readBack.RunAsync(cancellationToken);
}
