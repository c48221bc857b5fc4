using System.Text.Json;
using Koppel.Api.Functions;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Koppel.Core.Tests.Fakes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Koppel.Api.Tests;

/// <summary><c>?test=true</c> on connection create and update: the connection test runs on save; a failure saves nothing and answers 422.</summary>
public sealed class When_a_connection_is_saved_with_test_true
{
    private const string DossierId = "0403170701";

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private readonly InMemoryPorts _ports = new();
    private readonly StubConnector _connector = new();
    private readonly ConnectionService _connections;

    public When_a_connection_is_saved_with_test_true()
    {
        _connections = new ConnectionService(_ports, _ports, _ports, new ConnectorCatalog([_connector]), TimeProvider.System);
        ((IDossierRepository)_ports).UpsertAsync(new Dossier { Id = DossierId, Name = "Demo Bakkerij BV", EnterpriseNumber = DossierId, VatNumber = "BE" + DossierId }, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static ConnectionInput Input(string host = "files.example.be", string password = "s3cret-pw") =>
        new("stub", "Stub", ["PurchaseInvoice"], new Dictionary<string, string> { ["host"] = host }, new Dictionary<string, string> { ["password"] = password }, null);

    private async Task<List<Connection>> SavedAsync()
    {
        var list = new List<Connection>();
        await foreach (var c in ((IConnectionRepository)_ports).ListAsync(DossierId, CancellationToken.None))
        {
            list.Add(c);
        }

        return list;
    }

    [Fact]
    public async Task A_passing_test_saves_the_connection_healthy_and_answers_the_test_with_it()
    {
        var saved = await _connections.CreateAsync(DossierId, Input(), test: true, Caller.System, CancellationToken.None);
        var json = JsonSerializer.Serialize(ConnectionResponse.From(saved), Web);

        Assert.True(saved.Test!.Success);
        Assert.Equal(ConnectionHealthStatus.Healthy, Assert.Single(await SavedAsync()).Health.Status);
        Assert.Contains("\"test\":{\"success\":true", json, StringComparison.Ordinal);
        Assert.Equal(1, _connector.Tests);
    }

    [Fact]
    public async Task A_failing_test_saves_nothing_and_answers_422_with_the_message_without_the_secret()
    {
        var e = await Assert.ThrowsAsync<ConnectionTestFailedException>(() =>
            _connections.CreateAsync(DossierId, Input(host: "typo.example.be"), test: true, Caller.System, CancellationToken.None));
        var problem = ApiProblems.For(e, "trace-1");

        Assert.Empty(await SavedAsync());
        Assert.Equal(422, problem.Status);
        Assert.Contains("typo.example.be", problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(true, problem.Extensions["credentialsRejected"]);
    }

    [Fact]
    public async Task An_update_that_fails_its_test_leaves_the_connection_as_it_was()
    {
        var created = await _connections.CreateAsync(DossierId, Input(), Caller.System, CancellationToken.None);

        await Assert.ThrowsAsync<ConnectionTestFailedException>(() =>
            _connections.UpdateAsync(DossierId, created.Id, Input(host: "typo.example.be"), test: true, Caller.System, CancellationToken.None));

        Assert.Equal("files.example.be", Assert.Single(await SavedAsync()).Options["host"]);
    }

    [Fact]
    public async Task Without_test_nothing_is_tested_and_a_wrong_field_is_still_a_400_naming_it()
    {
        await _connections.CreateAsync(DossierId, Input(), test: false, Caller.System, CancellationToken.None);
        var e = await Assert.ThrowsAsync<RequestValidationException>(() =>
            _connections.CreateAsync(DossierId, Input(host: "bad host!"), test: true, Caller.System, CancellationToken.None));

        Assert.Equal(0, _connector.Tests);
        var problem = Assert.IsType<HttpValidationProblemDetails>(ApiProblems.For(e, "trace-1"));
        Assert.Equal(400, problem.Status);
        Assert.Contains("'host'", string.Join(" ", problem.Errors["options"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("?test=true", true)]
    [InlineData("?test=false", false)]
    public void The_test_query_parameter_is_read_as_a_boolean(string query, bool expected)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query);

        Assert.Equal(expected, ApiJson.TestOnSave(http.Request));
    }

    [Fact]
    public void A_test_query_parameter_that_is_not_a_boolean_is_a_400_naming_it()
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString("?test=yes");

        var e = Assert.Throws<RequestValidationException>(() => ApiJson.TestOnSave(http.Request));

        Assert.Contains("test", e.Errors.Keys);
    }

    /// <summary>A connector whose host setting is checked on save and whose test fails for any host starting with "typo".</summary>
    private sealed class StubConnector : IConnector
    {
        public int Tests { get; private set; }

        public ConnectorDescriptor Descriptor { get; } = new()
        {
            Provider = "stub",
            DisplayName = "Stub",
            Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection,
            Delivers = new Dictionary<DocumentKind, DeliveryMode> { [DocumentKind.PurchaseInvoice] = DeliveryMode.HandOver },
            Settings = [new("host", "Host", Required: true), new("password", "Password", Required: true, Secret: true)],
        };

        public Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken) => Task.FromResult(DeliveryResult.Delivered("x"));

        public void ValidateSettings(ConnectorSettings settings)
        {
            if (settings.Get("host")?.Contains(' ', StringComparison.Ordinal) == true)
            {
                throw new ConnectorConfigurationException("'host' must be a host name.");
            }
        }

        public Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
        {
            Tests++;
            var host = settings.Get("host")!;
            return Task.FromResult(host.StartsWith("typo", StringComparison.Ordinal)
                ? new ConnectionTestResult(false, $"{host} refused the password {settings.Get("password")}.") { CredentialsRejected = true }
                : new ConnectionTestResult(true, $"Connected to {host}."));
        }
    }
}
