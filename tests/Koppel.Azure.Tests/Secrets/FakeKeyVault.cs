using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core.Pipeline;
using Azure.Security.KeyVault.Secrets;
using Koppel.Azure.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Koppel.Azure.Tests.Secrets;

/// <summary>
/// Just enough of Key Vault's secrets API for SecretClient: HTTPS, the 401 bearer challenge the SDK needs before
/// it sends a body, set/get/delete, and 404 SecretNotFound. <see cref="FailWritesWith"/> makes writes fail with an
/// error that echoes the request body, like a careless server would.
/// </summary>
public sealed class FakeKeyVault : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _certificate = SelfSignedCertificate.ForLocalhost();

    private FakeKeyVault()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(_certificate)));
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            if (!context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal))
            {
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate =
                    "Bearer authorization=\"https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000\", resource=\"https://vault.azure.net\"";
                return;
            }

            await next(context);
        });
        _app.MapPut("/secrets/{name}", SetAsync);
        _app.MapGet("/secrets/{name}/{version?}", Get);
        _app.MapDelete("/secrets/{name}", Delete);
        _app.MapPost("/deletedsecrets/{name}/recover", Recover);
    }

    public ConcurrentDictionary<string, string> Secrets { get; } = new();

    /// <summary>Soft-deleted secrets: their names cannot be reused until recovered, as in a vault with soft delete.</summary>
    public ConcurrentDictionary<string, string> Deleted { get; } = new();

    public int? FailWritesWith { get; set; }

    public Uri VaultUri { get; private set; } = null!;

    public static async Task<FakeKeyVault> StartAsync()
    {
        var vault = new FakeKeyVault();
        await vault._app.StartAsync();
        var address = vault._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        vault.VaultUri = new Uri($"https://localhost:{new Uri(address).Port}/");
        return vault;
    }

    /// <summary>A SecretClient that trusts exactly this fake's certificate and nothing else.</summary>
    public SecretClient CreateClient(FakeTokenCredential credential)
    {
        var thumbprint = _certificate.Thumbprint;
#pragma warning disable CA2000 // the transport owns the handler for the client's lifetime
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c?.Thumbprint == thumbprint };
#pragma warning restore CA2000
        return new SecretClient(VaultUri, credential, new SecretClientOptions
        {
            Transport = new HttpClientTransport(handler),
            DisableChallengeResourceVerification = true,
            Retry = { MaxRetries = 0 },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _certificate.Dispose();
    }

    private async Task<IResult> SetAsync(string name, HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        if (FailWritesWith is { } status)
        {
            return Results.Json(new { error = new { code = "Forbidden", message = $"Refused request {body}" } }, statusCode: status);
        }

        if (Deleted.ContainsKey(name))
        {
            return Results.Json(
                new
                {
                    error = new
                    {
                        code = "Conflict",
                        message = $"Secret {name} is currently in a deleted but recoverable state, and its name cannot be reused.",
                        innererror = new { code = "ObjectIsDeletedButRecoverable" },
                    },
                },
                statusCode: 409);
        }

        var value = JsonNode.Parse(body)!["value"]!.GetValue<string>();
        Secrets[name] = value;
        return Results.Json(Bundle(name, value));
    }

    private IResult Get(string name) =>
        Secrets.TryGetValue(name, out var value)
            ? Results.Json(Bundle(name, value))
            : Results.Json(new { error = new { code = "SecretNotFound", message = $"A secret with (name/id) {name} was not found in this key vault." } }, statusCode: 404);

    private IResult Delete(string name)
    {
        if (!Secrets.TryRemove(name, out var removed))
        {
            return Results.Json(new { error = new { code = "SecretNotFound", message = "not found" } }, statusCode: 404);
        }

        Deleted[name] = removed;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Results.Json(new JsonObject
        {
            ["recoveryId"] = $"{VaultUri}deletedsecrets/{name}",
            ["deletedDate"] = now,
            ["scheduledPurgeDate"] = now + (90 * 86400),
            ["id"] = $"{VaultUri}secrets/{name}/v1",
            ["attributes"] = new JsonObject { ["enabled"] = true, ["created"] = now, ["updated"] = now },
        });
    }

    private IResult Recover(string name)
    {
        if (!Deleted.TryRemove(name, out var value))
        {
            return Results.Json(new { error = new { code = "DeletedSecretNotFound", message = "not found" } }, statusCode: 404);
        }

        Secrets[name] = value;
        return Results.Json(Bundle(name, value));
    }

    private JsonObject Bundle(string name, string value)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["value"] = value,
            ["id"] = $"{VaultUri}secrets/{name}/v1",
            ["attributes"] = new JsonObject
            {
                ["enabled"] = true,
                ["created"] = now,
                ["updated"] = now,
                ["recoveryLevel"] = "Recoverable+Purgeable",
            },
        };
    }
}
