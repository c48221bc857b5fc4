using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Koppel.Azure;

namespace Koppel.Azure.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

/// <summary>
/// Storage for the tests: the account in KOPPEL_TEST_STORAGE if set (a connection string; set it to
/// <see cref="DevelopmentConnectionString"/> to use an Azurite that is already running on the default ports).
/// Otherwise the fixture starts a private Azurite on free ports with scripts/services/azurite.sh and stops it
/// afterwards. Private, because on a shared machine an instance on the default ports may be stopped by whoever
/// started it while these tests still use it (seen happen: every blob call then fails after 24 s of retries).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account, with explicit IPv4 endpoints (localhost may resolve to ::1).</summary>
    public const string DevelopmentConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
        "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    private (string StateDirectory, Dictionary<string, string> Ports)? _started;

    public string ConnectionString { get; private set; } = DevelopmentConnectionString;

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("KOPPEL_TEST_STORAGE");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            if (!await AnswersAsync(ConnectionString))
            {
                throw new InvalidOperationException("KOPPEL_TEST_STORAGE is set, but its table endpoint does not answer.");
            }

            return;
        }

        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var ports = new Dictionary<string, string>
        {
            ["AZURITE_BLOB_PORT"] = blob.ToString(CultureInfo.InvariantCulture),
            ["AZURITE_QUEUE_PORT"] = queue.ToString(CultureInfo.InvariantCulture),
            ["AZURITE_TABLE_PORT"] = table.ToString(CultureInfo.InvariantCulture),
        };
        var state = Path.Combine(RepositoryRoot(), ".state", "test", $"azurite-{table}");
        await RunScriptAsync("start", state, ports);
        _started = (state, ports);
        ConnectionString = DevelopmentConnectionString
            .Replace(":10000/", $":{blob}/", StringComparison.Ordinal)
            .Replace(":10001/", $":{queue}/", StringComparison.Ordinal)
            .Replace(":10002/", $":{table}/", StringComparison.Ordinal);
        if (!await AnswersAsync(ConnectionString))
        {
            throw new InvalidOperationException($"Azurite was started but its table endpoint does not answer; see {state}/azurite.log.");
        }
    }

    public async Task DisposeAsync()
    {
        if (_started is { } started)
        {
            await RunScriptAsync("stop", started.StateDirectory, started.Ports);
            Directory.Delete(started.StateDirectory, recursive: true);
        }
    }

    /// <summary>Clients whose containers, tables and queues carry a fresh prefix, so no two tests see each other's data.</summary>
    public TestStorage CreateIsolatedStorage() =>
        new(KoppelStorageClients.FromConnectionString(ConnectionString, "t" + Guid.NewGuid().ToString("N")[..8]));

    private static async Task<bool> AnswersAsync(string connectionString)
    {
        var endpoint = new TableServiceClient(connectionString).Uri;
        using var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunScriptAsync(string command, string stateDirectory, Dictionary<string, string> environment)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "services", "azurite.sh");
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { script, command, stateDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not run bash.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // npm ci on a cold machine
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"azurite.sh {command} failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above the test binaries; cannot locate scripts/services/azurite.sh.");
    }
}
