using System.Text.Json;
using Koppel.Cli;

namespace Koppel.Formats.Tests.Cli;

/// <summary>Runs the koppel command line in-process and captures what it prints.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args)
    {
        using var output = new MemoryStream();
        using var error = new StringWriter();
        var exitCode = KoppelCommandLine.Run(args, output, error);
        return new CliRun(exitCode, System.Text.Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }

    public IReadOnlyList<string> OutputLines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Each output line parsed as one JSON document (JSON Lines).</summary>
    public IReadOnlyList<JsonElement> JsonLines => OutputLines.Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
}
