using Koppel.Functions;
using Microsoft.Extensions.Hosting;

await KoppelFunctionsApp.CreateBuilder().Build().RunAsync();
