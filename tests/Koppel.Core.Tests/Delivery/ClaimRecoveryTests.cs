using Koppel.Core.Delivery;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Core.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Tests.Delivery;

public class ClaimRecoveryTests
{
    private readonly CoreHarness _harness = new();

    private async Task<DeliveryEntry> ClaimedAsync(string deliveryId, string claimedBy)
    {
        var ledger = (IDeliveryLedger)_harness.Ports;
        var now = _harness.Clock.GetUtcNow();
        return await ledger.AddIfAbsentAsync(
            new DeliveryEntry
            {
                DossierId = CoreHarness.DossierId,
                DeliveryId = deliveryId,
                DocumentId = "doc-" + deliveryId,
                ConnectionId = "c1",
                Provider = "scripted",
                Status = DeliveryStatus.InProgress,
                Attempts = 2,
                ClaimedUntil = now.AddMinutes(5),
                ClaimedBy = claimedBy,
                CreatedAt = now,
                UpdatedAt = now,
            },
            default);
    }

    [Fact]
    public async Task A_restarted_instance_resumes_at_once_what_its_earlier_run_had_in_progress_and_leaves_others_alone()
    {
        var options = new DeliveryOptions { Instance = "server-a" };
        await ClaimedAsync("d-mine", "server-a#deadbeef0000");
        await ClaimedAsync("d-other", "server-b#0123456789ab");
        await ClaimedAsync("d-now", options.Claimant);
        var recovery = new ClaimRecovery(_harness.Ports, _harness.Ports, _harness.Clock, Options.Create(options), NullLogger<ClaimRecovery>.Instance);

        var resumed = await recovery.ResumeOwnClaimsAsync(default);

        Assert.Equal(1, resumed);
        var ledger = _harness.Ports.Ledger.ToDictionary(e => e.DeliveryId);
        Assert.Equal(DeliveryStatus.Pending, ledger["d-mine"].Status);
        Assert.Null(ledger["d-mine"].ClaimedUntil);
        Assert.Equal(1, ledger["d-mine"].Attempts);
        Assert.Equal(DeliveryStatus.InProgress, ledger["d-other"].Status);
        Assert.Equal(DeliveryStatus.InProgress, ledger["d-now"].Status);
        var (request, delay) = Assert.Single(_harness.Ports.Queued);
        Assert.Equal("d-mine", request.DeliveryId);
        Assert.Null(delay);
    }
}
