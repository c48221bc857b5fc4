using Koppel.ProviderFakes;

// The sandbox: every provider fake on one port (default 7071), so `scripts/dev.sh --sandbox` can point the
// server's provider URLs at it. Usage: Koppel.ProviderFakes [port]. Ctrl+C or SIGTERM stops it.
var port = args.Length > 0 && int.TryParse(args[0], out var p) ? p : 7071;
IProviderFake[] fakes = [.. SandboxFakes.All()];
await using var host = await ProviderFakesHost.StartAsync(fakes, port);
foreach (var fake in fakes)
{
    Console.WriteLine($"{fake.PathPrefix}: {host.BaseUrlOf(fake)}");
}

await host.WaitForShutdownAsync();
