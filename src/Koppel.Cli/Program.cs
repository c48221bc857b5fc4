using Koppel.Cli;
using Koppel.Cli.Api;

using var output = new BufferedStream(Console.OpenStandardOutput(), 64 * 1024);
var exitCode = await KoppelCommandLine.RunAsync(args, output, Console.Error, CliEnvironment.Process, CancellationToken.None);
output.Flush();
return exitCode;
