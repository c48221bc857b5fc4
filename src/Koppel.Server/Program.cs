using Koppel.Server;

await KoppelServer.Build(args).RunAsync();
