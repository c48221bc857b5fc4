using System.Text.Json;

namespace Koppel.Cli.Api;

/// <summary>What the CLI reads from its surroundings; tests pass their own.</summary>
/// <param name="Variable">Reads an environment variable.</param>
/// <param name="Handler">The HTTP handler to send requests with (null: a fresh SocketsHttpHandler).</param>
/// <param name="PollInterval">How often <c>export</c> asks how its run is doing.</param>
/// <param name="Prompter">Asks the person at the terminal for a value; null when nobody can be asked (a script).</param>
/// <param name="ErrorIsTerminal">Standard error is a terminal: progress is drawn as a bar redrawn in place, not as lines for a log.</param>
internal sealed record CliEnvironment(Func<string, string?> Variable, HttpMessageHandler? Handler, TimeSpan PollInterval, IPrompter? Prompter = null, bool ErrorIsTerminal = false)
{
    public static CliEnvironment Process { get; } = new(Environment.GetEnvironmentVariable, null, TimeSpan.FromSeconds(1), ConsolePrompter.IfInteractive(), !Console.IsErrorRedirected);
}

/// <summary>
/// Where the server is and which key to use: <c>--server</c>/<c>--key</c>, else <c>KOPPEL_SERVER</c>/<c>KOPPEL_API_KEY</c>,
/// else the config file (<c>$KOPPEL_CONFIG</c> or <c>~/.config/koppel/config.json</c>). Each value is looked up on its own.
/// </summary>
internal sealed record CliSettings(Uri Server, string? ApiKey)
{
    public const string ServerVariable = "KOPPEL_SERVER";
    public const string KeyVariable = "KOPPEL_API_KEY";
    public const string ConfigVariable = "KOPPEL_CONFIG";

    public static CliSettings Resolve(string? serverOption, string? keyOption, CliEnvironment environment)
    {
        var server = serverOption ?? environment.Variable(ServerVariable);
        var key = keyOption ?? environment.Variable(KeyVariable);
        if (string.IsNullOrWhiteSpace(server) || string.IsNullOrEmpty(key))
        {
            var file = ReadConfigFile(environment);
            server = string.IsNullOrWhiteSpace(server) ? file?.Server : server;
            key = string.IsNullOrEmpty(key) ? file?.ApiKey : key;
        }

        if (string.IsNullOrWhiteSpace(server))
        {
            throw new ApiFailure(KoppelCommandLine.UsageError, $"No server given: use --server, {ServerVariable} or \"server\" in {ConfigPath(environment)}.");
        }

        if (!Uri.TryCreate(server.Trim().TrimEnd('/') + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ApiFailure(KoppelCommandLine.UsageError, $"The server address '{server}' is not an http:// or https:// address.");
        }

        return new CliSettings(uri, string.IsNullOrEmpty(key) ? null : key);
    }

    public static string ConfigPath(CliEnvironment environment) =>
        environment.Variable(ConfigVariable) is { Length: > 0 } path ? path
        : Path.Combine(environment.Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "koppel", "config.json");

    private static CliConfigFile? ReadConfigFile(CliEnvironment environment)
    {
        var path = ConfigPath(environment);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, CliJson.Default.CliConfigFile);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // The file may hold the key: say where it is and what is wrong with its form, never its content.
            throw new ApiFailure(KoppelCommandLine.UsageError, $"The config file {path} could not be read: {(e is JsonException ? "it is not JSON of the form {\"server\": \"...\", \"apiKey\": \"...\"}" : e.Message)}.");
        }
    }
}
