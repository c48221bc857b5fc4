using System.Diagnostics;

namespace Koppel.Infra.Tests.Support;

public sealed record BicepRun(int ExitCode, string Output)
{
    public IReadOnlyList<string> Diagnostics(string level) =>
        Output.Split('\n').Where(l => l.Contains($": {level} ", StringComparison.Ordinal)).ToList();
}

/// <summary>
/// Runs the Bicep CLI that restore brought as a NuGet package. Everything it does here works offline:
/// local modules only, and the API-version data used by the linter ships inside the CLI.
/// </summary>
internal static class BicepCli
{
    private static readonly Lazy<string> Executable = new(FindExecutable);

    public static BicepRun Run(params string[] arguments) => RunWith(new Dictionary<string, string>(), arguments);

    public static BicepRun RunWith(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = Repository.PathOf("infra"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The Bicep CLI did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} took more than two minutes.");
        }

        return new BicepRun(process.ExitCode, stdout.Result + stderr.Result);
    }

    // The package's binary is executable for its owner only (rwxr--r--); another user runs a private copy.
    private static string FindExecutable()
    {
        var packaged = Repository.BicepPackageExecutable;
        if (!File.Exists(packaged))
        {
            throw new FileNotFoundException($"No Bicep CLI at {packaged}; run 'dotnet restore' for this project.", packaged);
        }

        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("These tests use the linux-x64 Bicep CLI package.");
        }

        try
        {
            using var probe = Process.Start(new ProcessStartInfo(packaged, "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            probe!.WaitForExit();
            return packaged;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            var copy = Path.Combine(Path.GetTempPath(), $"koppel-bicep-{Environment.UserName}", "bicep");
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(packaged, copy, overwrite: true);
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return copy;
        }
    }
}
