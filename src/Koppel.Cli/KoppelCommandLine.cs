using Koppel.Cli.Commands;

namespace Koppel.Cli;

/// <summary>
/// Entry point of the <c>koppel</c> tool, with the console passed in so tests can run it in-process.
/// Exit codes: 0 success, 1 a file could not be read, 2 usage error.
/// </summary>
internal static class KoppelCommandLine
{
    public const int Success = 0;
    public const int ReadFailure = 1;
    public const int UsageError = 2;

    public const string Usage = """
        Usage: koppel <command> [options]

        Commands:
          inspect <files...> [--json]   Read CODA statements and UBL invoices / credit notes and summarise them.
                                        --json prints one JSON object per file per line (JSON Lines).
                                        Files may be "-"-prefixed after a "--" argument.

        Options:
          -h, --help                    Show this help.

        Exit codes: 0 every file was read (even with findings), 1 a file could not be read, 2 usage error.
        """;

    /// <summary>Runs the command; <paramref name="output"/> receives UTF-8 text (standard output, or a buffer in tests).</summary>
    public static int Run(string[] args, Stream output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            error.WriteLine(Usage);
            return UsageError;
        }

        switch (args[0])
        {
            case "-h" or "--help" or "help":
                WriteLine(output, Usage);
                return Success;
            case "inspect":
                return InspectCommand.Run(args[1..], output, error);
            default:
                error.WriteLine($"koppel: unknown command '{args[0]}'.");
                error.WriteLine(Usage);
                return UsageError;
        }
    }

    public static void WriteLine(Stream output, string text)
    {
        output.Write(System.Text.Encoding.UTF8.GetBytes(text));
        output.Write("\n"u8);
    }
}
