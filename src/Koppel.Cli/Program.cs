using Koppel.Cli;

return KoppelCommandLine.Run(args, Console.Out, Console.Error);
