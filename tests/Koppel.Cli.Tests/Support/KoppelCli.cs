using System.Text;
using System.Text.Json;
using Koppel.Cli;
using Koppel.Cli.Api;

namespace Koppel.Cli.Tests.Support;

/// <summary>What one run of the koppel command line printed, run in-process with its own writers and environment.</summary>
internal sealed record CliResult(int ExitCode, string Output, string Error)
{
    public JsonElement Json => JsonDocument.Parse(Output).RootElement.Clone();

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

internal static class KoppelCli
{
    /// <summary>Runs <c>koppel</c> with only the given environment variables (none from the test process).</summary>
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(environment, prompter: null, args);

    /// <summary>Runs <c>koppel</c> as if its standard error were a terminal (progress drawn as a bar).</summary>
    public static Task<CliResult> RunInTerminalAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(environment, prompter: null, terminal: true, args);

    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, IPrompter? prompter, params string[] args) =>
        RunAsync(environment, prompter, terminal: false, args);

    /// <summary>Runs <c>koppel</c> with a person at the terminal who answers as <paramref name="prompter"/> does.</summary>
    private static async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, IPrompter? prompter, bool terminal, string[] args)
    {
        using var output = new MemoryStream();
        await using var error = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var surroundings = new CliEnvironment(name => environment.GetValueOrDefault(name), null, TimeSpan.FromMilliseconds(200), prompter, terminal);
        var exitCode = await KoppelCommandLine.RunAsync(args, output, error, surroundings, timeout.Token);
        return new CliResult(exitCode, Encoding.UTF8.GetString(output.ToArray()), error.ToString());
    }
}

/// <summary>A person at the terminal answering each setting by its name (the question starts with it); empty for the rest.</summary>
internal sealed class ScriptedPrompter(IReadOnlyDictionary<string, string> answers) : IPrompter
{
    public List<(string Question, bool Secret)> Asked { get; } = [];

    public string? Ask(string question, bool secret)
    {
        Asked.Add((question, secret));
        return answers.FirstOrDefault(a => question.StartsWith(a.Key + " (", StringComparison.Ordinal)).Value;
    }
}
