using System.Diagnostics;
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
/// Storage for the tests: the account in KOPPEL_TEST_STORAGE if set, else Azurite on 127.0.0.1. When Azurite does not
/// answer, the fixture starts it with scripts/services/azurite.sh (state in .state/test) and stops it afterwards.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account, with explicit IPv4 endpoints (localhost may resolve to ::1).</summary>
    public const string DevelopmentConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
        "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    private string? _startedStateDirectory;

    public string ConnectionString { get; private set; } = DevelopmentConnectionString;

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("KOPPEL_TEST_STORAGE");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        if (await AnswersAsync(ConnectionString))
        {
            return;
        }

        var state = Path.Combine(RepositoryRoot(), ".state", "test");
        await RunScriptAsync("start", state);
        _startedStateDirectory = state;
        if (!await AnswersAsync(ConnectionString))
        {
            throw new InvalidOperationException("Azurite was started but its table endpoint does not answer; see .state/test/azurite.log.");
        }
    }

    public async Task DisposeAsync()
    {
        if (_startedStateDirectory is not null)
        {
            await RunScriptAsync("stop", _startedStateDirectory);
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

    private static async Task RunScriptAsync(string command, string stateDirectory)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "services", "azurite.sh");
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { script, command, stateDirectory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
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
