using System.Globalization;
using Koppel.Core.Dossiers;
using Koppel.Core.Errors;
using Koppel.Core.Security;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Demo;

/// <summary>
/// Creates the demo dossier and its local-folder connection on start, once. In the sandbox it also connects the dossier
/// to the sandbox Yuki and Exact Online; Exact's consent is given again on every start, because the sandbox forgets its
/// tokens when it stops.
/// </summary>
public sealed class DemoSeeder(DossierService dossiers, ConnectionService connections, ConsentService consents, IOptions<DemoOptions> options, ILogger<DemoSeeder> logger) : IHostedService
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

        if (demo.Sandbox)
        {
            var exact = existing.FirstOrDefault(c => c.Provider == "exact-online")
                ?? await connections.CreateAsync(
                    dossier.Id,
                    new ConnectionInput(
                        "exact-online",
                        "Exact Online (sandbox)",
                        ["SalesInvoice", "PurchaseInvoice", "BankStatement"],
                        new Dictionary<string, string>
                        {
                            ["country"] = "be",
                            ["division"] = demo.SandboxExactDivision.ToString(CultureInfo.InvariantCulture),
                            ["mode.SalesInvoice"] = "book",
                            ["mode.PurchaseInvoice"] = "book",
                            ["salesJournal"] = "70",
                            ["purchaseJournal"] = "60",
                            ["salesGLAccount"] = "700000",
                            ["purchaseGLAccount"] = "604000",
                            ["vatCodes"] = "21=4;12=3;6=2;0=0",
                        },
                        null,
                        true),
                    caller,
                    cancellationToken);
            await ConsentAtSandboxExactAsync(dossier.Id, exact.Id, cancellationToken);
        }

        logger.LogInformation("Demo dossier {DossierId} ({Name}) is ready; drop files into inbox/{DossierId}/, deliveries land in {Outbox}", dossier.Id, dossier.Name, dossier.Id, Path.GetFullPath(demo.OutboxPath));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The consent round trip a user's browser makes, done here because the sandbox Exact approves without a sign-in
    /// page: open the authorisation URL, read code and state from the redirect, hand them to the consent callback.
    /// </summary>
    private async Task ConsentAtSandboxExactAsync(string dossierId, string connectionId, CancellationToken cancellationToken)
    {
        try
        {
            var start = await consents.StartAsync(dossierId, connectionId, Caller.System, cancellationToken);
            using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
            using var answer = await browser.GetAsync(start.AuthorizationUrl, cancellationToken);
            var back = answer.Headers.Location
                ?? throw new InvalidOperationException($"the sandbox answered {(int)answer.StatusCode} instead of sending the browser back");
            var query = QueryHelpers.ParseQuery(back.Query);
            var completed = await consents.CompleteAsync(query["code"].ToString(), query["state"].ToString(), Caller.System, cancellationToken);
            logger.LogInformation("Demo dossier {DossierId} is connected to the sandbox Exact Online ({ConnectionId}): {Message}", dossierId, connectionId, completed.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The server still runs; only the demo's Exact connection waits for a consent (POST …/consent by hand).
            logger.LogWarning("The sandbox Exact Online did not approve the demo dossier's consent ({Reason}); is scripts/dev.sh --sandbox running the provider fakes?", e.Message);
        }
    }
}
