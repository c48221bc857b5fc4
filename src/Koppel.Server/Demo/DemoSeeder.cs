using Koppel.Core.Dossiers;
using Koppel.Core.Errors;
using Koppel.Core.Security;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Demo;

/// <summary>Creates the demo dossier and its local-folder connection on start, once.</summary>
public sealed class DemoSeeder(DossierService dossiers, ConnectionService connections, IOptions<DemoOptions> options, ILogger<DemoSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        if (!demo.Enabled)
        {
            return;
        }

        var caller = Caller.System;
        Core.Domain.Dossier dossier;
        try
        {
            dossier = await dossiers.CreateAsync(new DossierInput(demo.Name, demo.EnterpriseNumber, null, "boekhouding@example.be", "Europe/Brussels"), caller, cancellationToken);
        }
        catch (ResourceConflictException)
        {
            dossier = await dossiers.GetAsync(Core.Domain.EnterpriseNumber.Parse(demo.EnterpriseNumber).Value, caller, cancellationToken);
        }

        var existing = await connections.ListAsync(dossier.Id, caller, cancellationToken);
        if (!existing.Any(c => c.Provider == "local-folder"))
        {
            var outbox = Path.GetFullPath(demo.OutboxPath);
            Directory.CreateDirectory(outbox);
            await connections.CreateAsync(
                dossier.Id,
                new ConnectionInput("local-folder", "Demo outbox", ["SalesInvoice", "PurchaseInvoice", "BankStatement", "OtherDocument", "ExpenseClaim"], new Dictionary<string, string> { ["path"] = outbox }, null, true),
                caller,
                cancellationToken);
        }

        if (demo.Sandbox && !existing.Any(c => c.Provider == "yuki"))
        {
            var yuki = await connections.CreateAsync(
                dossier.Id,
                new ConnectionInput(
                    "yuki",
                    "Yuki (sandbox)",
                    ["SalesInvoice", "PurchaseInvoice", "BankStatement"],
                    new Dictionary<string, string>
                    {
                        ["administrationId"] = demo.SandboxYukiAdministration,
                        ["salesInvoiceMode"] = "book",
                        ["glAccountCode"] = "700000",
                        ["coda"] = "true",
                        ["process"] = "true",
                    },
                    new Dictionary<string, string> { ["apiKey"] = demo.SandboxYukiKey },
                    true),
                caller,
                cancellationToken);
            logger.LogInformation("Demo dossier {DossierId} is connected to the sandbox Yuki ({ConnectionId}); booked invoices show Yuki's reference in their history", dossier.Id, yuki.Id);
        }

        logger.LogInformation("Demo dossier {DossierId} ({Name}) is ready; drop files into inbox/{DossierId}/, deliveries land in {Outbox}", dossier.Id, dossier.Name, dossier.Id, Path.GetFullPath(demo.OutboxPath));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
