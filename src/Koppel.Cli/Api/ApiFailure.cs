namespace Koppel.Cli.Api;

/// <summary>
/// Why a command against the server failed, in one sentence for stderr, with the exit code it ends with.
/// The message never holds the API key.
/// </summary>
internal sealed class ApiFailure(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
