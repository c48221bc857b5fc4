using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Tests.ServiceBus;

/// <summary>A message the fake broker received, with the headers the real one acts on.</summary>
public sealed record ReceivedBrokerMessage(string Path, string? Authorization, string? BrokerProperties, string? ContentType, string Body);

/// <summary>
/// Service Bus's "send message" REST endpoint on loopback http: records every message and answers 201, or
/// whatever status (and Retry-After) the test queues up in <see cref="NextFailures"/>.
/// </summary>
public sealed class FakeServiceBus : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeServiceBus()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/{queue}/messages", ReceiveAsync);
    }

    public ConcurrentQueue<ReceivedBrokerMessage> Messages { get; } = new();

    public ConcurrentQueue<(int Status, string? RetryAfter)> NextFailures { get; } = new();

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<FakeServiceBus> StartAsync()
    {
        var bus = new FakeServiceBus();
        await bus._app.StartAsync();
        var address = bus._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        bus.Endpoint = new Uri($"http://127.0.0.1:{new Uri(address).Port}/");
        return bus;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        if (NextFailures.TryDequeue(out var failure))
        {
            context.Response.StatusCode = failure.Status;
            if (failure.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = failure.RetryAfter;
            }

            return;
        }

        Messages.Enqueue(new ReceivedBrokerMessage(
            context.Request.Path,
            context.Request.Headers.Authorization,
            context.Request.Headers["BrokerProperties"],
            context.Request.ContentType,
            body));
        context.Response.StatusCode = 201;
    }
}
