using Koppel.Cli;

using var output = new BufferedStream(Console.OpenStandardOutput(), 64 * 1024);
var exitCode = KoppelCommandLine.Run(args, output, Console.Error);
output.Flush();
return exitCode;
