using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Koppel.Functions.Tests.Support;

/// <summary>The Functions app's host exactly as Program.cs builds it, from the given settings; never started (no Functions host runs here).</summary>
public static class FunctionsHost
{
    public static IHost Build(IDictionary<string, string?> settings, Action<IServiceCollection>? replace = null)
    {
        var builder = KoppelFunctionsApp.CreateBuilder(config => config.AddInMemoryCollection(settings))
            .UseDefaultServiceProvider(o =>
            {
                o.ValidateScopes = true;
                o.ValidateOnBuild = true;
            });
        if (replace is not null)
        {
            builder.ConfigureServices(replace);
        }

        return builder.Build();
    }
}
