using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Koppel.Server.Tests.Support;

/// <summary>
/// A platform's webhook endpoint, for real: Kestrel on https with a self-signed certificate made for the test. It keeps
/// every post with its headers and answers with what the test scripted (then 200).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, X509Certificate2 certificate, Uri url)
    {
        _app = app;
        Certificate = certificate;
        Url = url;
    }

    public X509Certificate2 Certificate { get; }

    public Uri Url { get; }

    public ConcurrentQueue<Post> Posts { get; } = new();

    /// <summary>Status codes to answer, post after post, before answering 200.</summary>
    public ConcurrentQueue<HttpStatusCode> Script { get; } = new();

    public sealed record Post(string Id, string Timestamp, string Signature, string ContentType, byte[] Body);

    public static async Task<WebhookReceiver> StartAsync()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var ephemeral = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.MapPost("/hooks/koppel", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver!.Posts.Enqueue(new Post(
                request.Headers["webhook-id"].ToString(),
                request.Headers["webhook-timestamp"].ToString(),
                request.Headers["webhook-signature"].ToString(),
                request.ContentType ?? "",
                body.ToArray()));
            return receiver.Script.TryDequeue(out var status) ? Results.StatusCode((int)status) : Results.Ok();
        });
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        receiver = new WebhookReceiver(app, certificate, new Uri($"https://127.0.0.1:{port}/hooks/koppel"));
        return receiver;
    }

    /// <summary>Checks a post's signature the way the Standard Webhooks specification tells a receiver to, independently of Koppel's code.</summary>
    public static bool SignatureHolds(Post post, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signed = Encoding.UTF8.GetBytes($"{post.Id}.{post.Timestamp}.").Concat(post.Body).ToArray();
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
        return post.Signature.Split(' ').Contains(expected);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }
}
