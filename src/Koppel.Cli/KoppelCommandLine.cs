using System.CommandLine;
using System.Text;
using Koppel.Cli.Api;
using Koppel.Cli.Commands;

namespace Koppel.Cli;

/// <summary>
/// Entry point of the <c>koppel</c> tool (System.CommandLine), with the console and surroundings passed in so tests can
/// run it in-process. The exit codes are listed in <see cref="Usage"/> and docs/cli.md.
/// </summary>
internal static class KoppelCommandLine
{
    public const int Success = 0;
    public const int ReadFailure = 1;
    public const int UsageError = 2;
    public const int Unreachable = 3;
    public const int Refused = 4;
    public const int NotFound = 5;
    public const int Rejected = 6;
    public const int RunFailed = 7;

    public const string Usage = """
        Usage: koppel <command> [options]

        Commands:
          inspect <files...> [--json]   Read CODA statements and UBL invoices / credit notes and summarise them.
                                        --json prints one JSON object per file per line (JSON Lines).
                                        Files may be "-"-prefixed after a "--" argument.
          dossiers                      List the dossiers.
          dossiers create --name <name> --enterprise-number <number> [--email <address>]
                                        Create a dossier.
          providers                     The providers a connection can go to, with their settings.
          connections <dossier>         List a dossier's connections and their health.
          connections add <dossier> <provider> [--name <name>] [--kinds <k1,k2>] [--set name=value]...
                          [--secret-from-env name=VARIABLE]... [--no-test]
                                        Add a connection; settings not given are asked (secrets unechoed);
                                        tested before it is saved.
          connections test <dossier> <connection>
                                        Can Koppel reach the provider? Exits 6 when it cannot.
          documents <dossier> [--from <when>] [--to <when>]
                                        List the documents a dossier received.
          history <dossier> <document>  What happened to a document.
          runs <dossier> [--status <status>] [--kind <kind>]
                                        The run log, newest first.
          resend <dossier> <document>   Deliver a document again.
          export <dossier> --from <when> --to <when> [--connection <id>] [--resend] [--dry-run] [--no-wait]
                                        Send a date range again; --dry-run shows what would be sent; otherwise
                                        waits for the run, showing progress on stderr (unless --no-wait).
          dead-letters <dossier>        Deliveries that gave up, with their last error.
          dead-letters retry <dossier> <delivery>
                                        Send it again with a new round of attempts.
          dead-letters discard <dossier> <delivery> [--reason <why>]
                                        Close it for good; the reason goes into the history.
          quarantine [--dossier <id>]   Refused files and why.
          quarantine reingest <path> [--dossier <id>]
                                        Ingest a refused file again once fixed.
          upload <dossier> <file>       Upload a document.
          Every server command takes --json (print the API's JSON) and "koppel <command> --help".

        Server and key: --server <url> --key <key>, else KOPPEL_SERVER and KOPPEL_API_KEY, else the config file
        ($KOPPEL_CONFIG or ~/.config/koppel/config.json): {"server": "https://...", "apiKey": "..."}.

        Options:
          -h, --help                    Show this help.

        Exit codes: 0 ok (inspect: every file was read, even with findings), 1 a file could not be read, 2 usage error,
          3 cannot reach the server, 4 refused (401/403: key wrong or not allowed), 5 not found (404),
          6 the server rejected the request (400/409/422), 7 an export run ended Failed.
        """;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Runs the command; <paramref name="output"/> receives UTF-8 text (standard output, or a buffer in tests).</summary>
    public static int Run(string[] args, Stream output, TextWriter error) =>
        RunAsync(args, output, error, CliEnvironment.Process, CancellationToken.None).GetAwaiter().GetResult();

    public static async Task<int> RunAsync(string[] args, Stream output, TextWriter error, CliEnvironment environment, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length == 0)
        {
            await error.WriteLineAsync(Usage);
            return UsageError;
        }

        if (args[0] is "-h" or "--help" or "help" && args.Length == 1)
        {
            WriteLine(output, Usage);
            return Success;
        }

        // System.CommandLine would take an unknown "--yaml" for a file name; inspect refuses it, as it always did.
        if (args[0] == "inspect" && args.Skip(1).TakeWhile(a => a != "--").FirstOrDefault(a => a is ['-', _, ..] and not ("--json" or "-h" or "--help" or "-?")) is { } unknown)
        {
            await error.WriteLineAsync($"koppel inspect: unknown option '{unknown}'.");
            await error.WriteLineAsync(InspectCommand.Usage);
            return UsageError;
        }

        await using var writer = new StreamWriter(output, Utf8, 16 * 1024, leaveOpen: true) { NewLine = "\n" };
        var root = Build(output, writer, error, environment);
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        int exitCode;
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"koppel: {problem.Message}");
            }

            await error.WriteLineAsync(parse.CommandResult.Command.Name == "inspect" ? InspectCommand.Usage : parse.CommandResult.Command == root ? Usage : $"Usage: see koppel {parse.CommandResult.Command.Name} --help");
            exitCode = UsageError;
        }
        else
        {
            exitCode = await parse.InvokeAsync(new InvocationConfiguration { Output = writer, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, ct);
        }

        await writer.FlushAsync(ct);
        return exitCode;
    }

    public static void WriteLine(Stream output, string text)
    {
        output.Write(Encoding.UTF8.GetBytes(text));
        output.Write("\n"u8);
    }

    private static RootCommand Build(Stream output, TextWriter writer, TextWriter error, CliEnvironment environment)
    {
        var server = new Option<string>("--server") { Description = "The Koppel server's address (else KOPPEL_SERVER, else the config file).", Recursive = true };
        var key = new Option<string>("--key") { Description = "The API key (else KOPPEL_API_KEY, else the config file). Never printed.", Recursive = true };
        var root = new RootCommand("koppel: inspect documents, and work with a Koppel server's dossiers, documents and runs.");
        root.Options.Add(server);
        root.Options.Add(key);

        var files = new Argument<string[]>("files") { Description = "The files to read.", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per file per line (JSON Lines)." };
        var inspect = new Command("inspect", "Read CODA statements and UBL invoices / credit notes and summarise them.") { files, json };
        inspect.SetAction(parse =>
        {
            writer.Flush();
            return InspectCommand.Run(parse.GetValue(files)!, parse.GetValue(json), output, error);
        });
        root.Subcommands.Add(inspect);
        foreach (var command in ApiCommands.All(new ApiCommandContext(writer, error, environment, server, key)))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }
}
