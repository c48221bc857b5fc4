using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Koppel.Connectors;
using Koppel.Connectors.ExactOnline;
using Koppel.Connectors.Yuki;
using Koppel.Core;
using Koppel.Core.Domain;
using Koppel.Core.Export;
using Koppel.Core.Payments;
using Koppel.Core.Ports;
using Koppel.Core.Tests.Fakes;
using Koppel.ProviderFakes;
using Koppel.ProviderFakes.ExactOnline;
using Koppel.ProviderFakes.Yuki;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

// One payment-polling run over many dossiers against the provider fakes:
//   dotnet run -c Release --project bench/Koppel.PaymentBench -- dossiers=10000 yukiDomains=500 exactUsers=100 concurrency=32
// Half the dossiers book in Yuki (spread over the domains), half in Exact Online (spread over the users' divisions). Each
// dossier has two open invoices Koppel delivered; the provider lists one of them as still open, so the other is paid.
// Prints wall time, calls per provider, the busiest Yuki domain against its daily quota and the busiest Exact division
// against its minute and day limits, and the payments recorded.
var arguments = args.Select(a => a.Split('=', 2)).Where(a => a.Length == 2).ToDictionary(a => a[0], a => int.Parse(a[1], CultureInfo.InvariantCulture));
var dossierCount = arguments.GetValueOrDefault("dossiers", 10_000);
var yukiDomains = arguments.GetValueOrDefault("yukiDomains", 500);
var exactUsers = arguments.GetValueOrDefault("exactUsers", 100);
var concurrency = arguments.GetValueOrDefault("concurrency", 32);
var yukiDossiers = dossierCount / 2;
var exactDossiers = dossierCount - yukiDossiers;

var yuki = new YukiFake();
var exact = new ExactOnlineFake();
var domainKeys = Enumerable.Range(0, yukiDomains).Select(d => $"bench-domain-key-{d:D4}").ToArray();
var administrations = new Dictionary<int, List<(Guid Id, string Name)>>();
for (var i = 0; i < yukiDossiers; i++)
{
    var domain = i % yukiDomains;
    if (!administrations.TryGetValue(domain, out var list))
    {
        administrations[domain] = list = [];
    }

    list.Add((Guid.NewGuid(), $"Dossier {i}"));
}

foreach (var (domain, list) in administrations)
{
    yuki.AddDomainKey(domainKeys[domain], $"domain-{domain:D4}", [.. list]);
}

await using var host = await ProviderFakesHost.StartAsync([yuki, exact]);
var ports = new InMemoryPorts();
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Koppel:Providers:Yuki:BaseUrl"] = new Uri(host.BaseUrlOf(yuki), "ws/").ToString(),
    [$"{ExactOnlineOptions.SectionName}:BaseUrl"] = host.BaseUrlOf(exact).ToString(),
    [$"{ExactOnlineOptions.SectionName}:ClientId"] = exact.ClientId,
    [$"{ExactOnlineOptions.SectionName}:RedirectUri"] = exact.RedirectUri,
}).Build();
var store = new InMemoryPaymentStore();
var jobs = new List<PollJob>();
await using var services = new ServiceCollection()
    .AddSingleton<IConfiguration>(configuration)
    .AddLogging()
    .AddSingleton<IDossierRepository>(ports).AddSingleton<IConnectionRepository>(ports).AddSingleton<IDocumentRepository>(ports)
    .AddSingleton<IDeliveryLedger>(ports).AddSingleton<IRunLog>(ports).AddSingleton<IDocumentHistory>(ports).AddSingleton<ISecretStore>(ports)
    .AddSingleton<IInbox>(ports).AddSingleton<IDocumentArchive>(ports).AddSingleton<IQuarantine>(ports).AddSingleton<IWorkQueue>(ports).AddSingleton<IExportJobQueue>(ports)
    .AddSingleton<IPaymentStore>(store)
    .AddSingleton<IPollJobQueue>(new ListQueue(jobs))
    .AddKoppelCore()
    .AddKoppelConnectors()
    .BuildServiceProvider();
await ((ISecretStore)ports).SetAsync("exact-online-client-secret", exact.ClientSecret, CancellationToken.None);

// Seed: dossiers, connections (credentials in the secret store), two delivered open invoices each; the provider lists one.
var setup = Stopwatch.StartNew();
var now = DateTimeOffset.UtcNow;
var index = 0;
foreach (var (domain, list) in administrations)
{
    foreach (var (administration, _) in list)
    {
        var options = new Dictionary<string, string> { ["administrationId"] = administration.ToString(), ["glAccountCode"] = "700000" };
        var connection = await SeedDossierAsync(index++, YukiConnector.ProviderKey, options, new Dictionary<string, string> { ["apiKey"] = domainKeys[domain] });
        yuki.AddOtherOutstandingItem(administration, InvoiceNumber(connection.DossierId, 1), 121m);
    }
}

var exactConnector = services.GetRequiredService<ExactOnlineConnector>();
var divisionsPerUser = (int)Math.Ceiling(exactDossiers / (double)exactUsers);
for (var u = 0; u < exactUsers && index < dossierCount; u++)
{
    var divisions = Enumerable.Range(0, divisionsPerUser).Select(d => 100_000 + (u * divisionsPerUser) + d).ToArray();
    var user = exact.AddUser($"Bench user {u}", divisions);
    var consent = await exactConnector.CompleteConsentAsync(new Koppel.Core.Connectors.ConnectorSettings(new Dictionary<string, string> { ["country"] = "be" }, new Dictionary<string, string>()), exact.IssueCode(user), CancellationToken.None);
    foreach (var division in divisions)
    {
        if (index >= dossierCount)
        {
            break;
        }

        var options = new Dictionary<string, string> { ["country"] = "be", [ExactOnlineSettings.DivisionKey] = division.ToString(CultureInfo.InvariantCulture) };
        var connection = await SeedDossierAsync(index++, ExactOnlineConnector.ProviderKey, options, new Dictionary<string, string>(consent.ConnectionCredentials));
        exact.AddOtherReceivable(division, InvoiceNumber(connection.DossierId, 1), 121m);
    }
}

setup.Stop();
var yukiCallsBefore = yuki.Calls.Count;
var exactCallsBefore = exact.Requests.Count;

// One run: the timer at 07:00 Brussels queues the polls, then the jobs run with the given concurrency.
var slotTime = PaymentSchedule.Next(DateTimeOffset.UtcNow, null, null)!.DueUtc;
var scheduler = new PaymentPollScheduler(ports, ports, new InMemoryPollSlotClaims(), new ListQueue(jobs), services.GetRequiredService<Koppel.Core.Connectors.ConnectorCatalog>(),
    Options.Create(new PaymentOptions()), new FixedClock(slotTime), Microsoft.Extensions.Logging.Abstractions.NullLogger<PaymentPollScheduler>.Instance);
var wall = Stopwatch.StartNew();
var fanOut = await scheduler.FanOutAsync(CancellationToken.None);
var fanOutTime = wall.Elapsed;
var handler = services.GetRequiredService<PaymentPollHandler>();
var summaries = new System.Collections.Concurrent.ConcurrentBag<PaymentPollSummary>();
await Parallel.ForEachAsync(jobs, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (job, ct) =>
{
    if (await handler.RunAsync(job, ct) is { } summary)
    {
        summaries.Add(summary);
    }
});
wall.Stop();

var yukiCalls = yuki.Calls.Count - yukiCallsBefore;
var exactCalls = exact.Requests.Count - exactCallsBefore;
var busiestDomain = Enumerable.Range(0, yukiDomains).Max(d => yuki.CallsOf($"domain-{d:D4}"));
Console.WriteLine($"dossiers {dossierCount:N0} (Yuki {yukiDossiers:N0} on {yukiDomains} domains, Exact {exactDossiers:N0} on {exactUsers} users); setup {setup.Elapsed.TotalSeconds:F1} s");
Console.WriteLine($"fan-out: {fanOut.SlotsClaimed:N0} slots claimed, {fanOut.JobsQueued:N0} poll jobs queued in {fanOutTime.TotalMilliseconds:F0} ms");
Console.WriteLine($"polling run: {wall.Elapsed.TotalSeconds:F1} s wall, concurrency {concurrency}, {summaries.Count / wall.Elapsed.TotalSeconds:F0} polls/s");
Console.WriteLine($"Yuki calls: {yukiCalls:N0} ({yukiCalls / (double)Math.Max(1, yukiDossiers):F2} per administration); busiest domain {busiestDomain} of its {yuki.DailyQuota} daily calls");
Console.WriteLine($"Exact calls: {exactCalls:N0} ({exactCalls / (double)Math.Max(1, exactDossiers):F2} per division); busiest division {exact.PeakCallsPerDivisionMinute} calls in a minute (limit {ExactOnlineFake.MinutelyLimit}), {exact.PeakCallsPerDivisionDay} in a day (limit {ExactOnlineFake.DailyLimit})");
var failed = summaries.Count(s => s.Status != RunStatus.Succeeded);
Console.WriteLine($"invoices checked {summaries.Sum(s => s.Checked):N0}: paid {summaries.Sum(s => s.Paid):N0}, still open {summaries.Sum(s => s.StillOpen):N0}, unmatched {summaries.Sum(s => s.Unmatched):N0}; payments recorded {store.AllPayments.Count:N0}; polls not succeeded {failed}");
var withinLimits = busiestDomain <= yuki.DailyQuota && exact.PeakCallsPerDivisionMinute <= ExactOnlineFake.MinutelyLimit && exact.PeakCallsPerDivisionDay <= ExactOnlineFake.DailyLimit && failed == 0;
Console.WriteLine(withinLimits ? "no quota or rate limit exceeded" : "A LIMIT WAS EXCEEDED OR A POLL FAILED");
return withinLimits ? 0 : 1;

async Task<Connection> SeedDossierAsync(int i, string provider, Dictionary<string, string> options, Dictionary<string, string> credentials)
{
    var id = (1_000_000_000L + i).ToString("D10", CultureInfo.InvariantCulture);
    await ((IDossierRepository)ports).UpsertAsync(new Dossier { Id = id, Name = $"Dossier {i}", EnterpriseNumber = id }, CancellationToken.None);
    var secretName = $"conn-{id}-c";
    await ((ISecretStore)ports).SetAsync(secretName, JsonSerializer.Serialize(credentials), CancellationToken.None);
    var connection = new Connection { Id = "c", DossierId = id, Provider = provider, DocumentKinds = new HashSet<DocumentKind> { DocumentKind.SalesInvoice }, Options = options, SecretName = secretName };
    await ((IConnectionRepository)ports).UpsertAsync(connection, CancellationToken.None);
    for (var n = 1; n <= 2; n++)
    {
        var documentId = $"{id}-doc-{n}";
        await store.AddInvoiceIfAbsentAsync(new TrackedInvoice { DossierId = id, DocumentId = documentId, Number = InvoiceNumber(id, n), Amount = 121m, SeenOpenBy = ["c"] }, CancellationToken.None);
        await ((IDeliveryLedger)ports).AddIfAbsentAsync(new DeliveryEntry { DossierId = id, DeliveryId = DeliveryIds.For(documentId, "c"), DocumentId = documentId, ConnectionId = "c", Provider = provider, Status = DeliveryStatus.Delivered, ProviderReference = $"sales invoice {InvoiceNumber(id, n)}" }, CancellationToken.None);
    }

    return connection;
}

static string InvoiceNumber(string dossierId, int n) => $"INV-{dossierId}-{n}";

internal sealed class ListQueue(List<PollJob> jobs) : IPollJobQueue
{
    public Task EnqueueAsync(PollJob job, CancellationToken cancellationToken)
    {
        lock (jobs)
        {
            jobs.Add(job);
        }

        return Task.CompletedTask;
    }
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
