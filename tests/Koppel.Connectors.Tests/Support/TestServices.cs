using System.Diagnostics;
using System.Net.Sockets;

namespace Koppel.Connectors.Tests.Support;

/// <summary>Starts the project's own throw-away servers (scripts/services) when they are not running yet.</summary>
public static class TestServices
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Where the service scripts keep their state; ignored by git.</summary>
    /// <remarks>KOPPEL_TEST_STATE points several checkouts at one set of running servers.</remarks>
    public static string StateDir { get; } = Environment.GetEnvironmentVariable("KOPPEL_TEST_STATE") is { Length: > 0 } state
        ? state
        : Path.Combine(RepoRoot, ".state", "test");

    public static int PortFromEnv(string variable, int defaultPort) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), out var port) ? port : defaultPort;

    public static async Task<bool> IsListeningAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Runs <c>scripts/services/{script} {command} {StateDir}</c> and fails the test with its output if it fails.</summary>
    public static async Task RunScriptAsync(string script, string command)
    {
        var start = new ProcessStartInfo("bash", [Path.Combine(RepoRoot, "scripts", "services", script), command, StateDir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();

        // A first start may install the Debian package: allow for apt.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {command} failed ({process.ExitCode}): {await output}{await errors}");
        }
    }

    public static int FreeClosedPort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static string ReadStateFile(params string[] relative) =>
        File.ReadAllText(Path.Combine([StateDir, .. relative])).Trim();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
