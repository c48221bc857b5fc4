using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Server.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Koppel.Server.Tests.Api;

/// <summary>Bearer tokens from the platform's identity provider, checked against its public key only.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class JwtBearerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Issuer = "https://idp.platform.example";
    private const string Audience = "api://koppel";
    private readonly RSA _issuerKey = RSA.Create(2048);
    private InProcessServer _server = null!;
    private ServerSettings _settings = null!;

    public async Task InitializeAsync()
    {
        _settings = new ServerSettings(azurite.ConnectionString, Path.Combine(Path.GetTempPath(), "koppel-jwt-" + Guid.NewGuid().ToString("N")[..8]));
        _settings.Values["Koppel:Api:Jwt:Issuer"] = Issuer;
        _settings.Values["Koppel:Api:Jwt:Audience"] = Audience;
        _settings.Values["Koppel:Api:Jwt:IssuerPublicKeyPem"] = _issuerKey.ExportSubjectPublicKeyInfoPem();
        _server = await InProcessServer.StartAsync(_settings);
        using var admin = _server.Client(_settings.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/dossiers", new { name = "A", enterpriseNumber = "0403170701" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/dossiers", new { name = "B", enterpriseNumber = "0876543270" })).StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _issuerKey.Dispose();
    }

    private string Token(RSA key, string dossier, DateTime? expires = null) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer,
        Audience = Audience,
        Claims = new Dictionary<string, object> { ["sub"] = "accounting-firm-a", ["koppel:dossier"] = dossier },
        NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddHours(-1),
        Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256),
    });

    private HttpClient Bearer(string token)
    {
        var client = _server.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_token_sees_the_dossiers_its_claims_name_and_no_others()
    {
        using var client = Bearer(Token(_issuerKey, "0403.170.701"));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/dossiers/0403170701")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/dossiers/0876543270")).StatusCode);
    }

    [Fact]
    public async Task A_token_signed_by_another_key_is_refused()
    {
        using var stranger = RSA.Create(2048);
        using var client = Bearer(Token(stranger, "*"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/dossiers")).StatusCode);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        using var client = Bearer(Token(_issuerKey, "*", DateTime.UtcNow.AddMinutes(-30)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/dossiers")).StatusCode);
    }

    [Fact]
    public async Task Api_keys_keep_working_beside_tokens()
    {
        using var admin = _server.Client(_settings.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/dossiers/0876543270")).StatusCode);
    }

    [Fact]
    public async Task A_public_key_without_an_issuer_refuses_to_start_instead_of_skipping_the_issuer_check()
    {
        var settings = new ServerSettings(azurite.ConnectionString, Path.Combine(Path.GetTempPath(), "koppel-jwt-" + Guid.NewGuid().ToString("N")[..8]));
        settings.Values["Koppel:Api:Jwt:Audience"] = Audience;
        settings.Values["Koppel:Api:Jwt:IssuerPublicKeyPem"] = _issuerKey.ExportSubjectPublicKeyInfoPem();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await InProcessServer.StartAsync(settings));

        Assert.Contains("Koppel:Api:Jwt:Issuer", error.Message, StringComparison.Ordinal);
    }
}
