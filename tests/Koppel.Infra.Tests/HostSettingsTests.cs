using System.Globalization;
using System.Text.Json;
using Koppel.Infra.Tests.Support;

namespace Koppel.Infra.Tests;

/// <summary>host.json and the committed local settings template, as the Functions host will read them.</summary>
public sealed class When_the_functions_host_reads_its_settings
{
    [Fact]
    public void The_service_bus_lock_is_renewed_for_longer_than_a_function_may_run()
    {
        using var host = JsonFiles.Read("host.json");
        var functionTimeout = TimeSpan.Parse(host.RootElement.GetProperty("functionTimeout").GetString()!, CultureInfo.InvariantCulture);
        var serviceBus = host.RootElement.GetProperty("extensions").GetProperty("serviceBus");
        var lockRenewal = TimeSpan.Parse(serviceBus.GetProperty("maxAutoLockRenewalDuration").GetString()!, CultureInfo.InvariantCulture);

        // Otherwise a slow delivery loses its lock mid-send and the broker hands the message to a second worker.
        Assert.True(lockRenewal > functionTimeout, $"maxAutoLockRenewalDuration {lockRenewal} must exceed functionTimeout {functionTimeout}.");
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public void Service_bus_messages_are_settled_by_koppel_not_by_the_host()
    {
        using var host = JsonFiles.Read("host.json");
        var serviceBus = host.RootElement.GetProperty("extensions").GetProperty("serviceBus");

        Assert.False(serviceBus.GetProperty("autoCompleteMessages").GetBoolean());
        Assert.True(serviceBus.TryGetProperty("maxConcurrentSessions", out _));
        Assert.True(serviceBus.TryGetProperty("sessionIdleTimeout", out _));
    }

    [Fact]
    public void The_host_sends_its_telemetry_as_opentelemetry_like_the_worker_so_nothing_is_sent_twice()
    {
        using var host = JsonFiles.Read("host.json");

        Assert.Equal("OpenTelemetry", host.RootElement.GetProperty("telemetryMode").GetString());
        Assert.False(host.RootElement.GetProperty("logging").TryGetProperty("applicationInsights", out _)); // the SDK's settings, unused in this mode
    }

    [Fact]
    public void The_host_retry_backs_off_exponentially_instead_of_retrying_at_a_fixed_delay()
    {
        using var host = JsonFiles.Read("host.json");

        Assert.Equal("exponentialBackoff", host.RootElement.GetProperty("retry").GetProperty("strategy").GetString());
    }

    [Fact]
    public void The_local_settings_template_holds_no_connection_string_secret()
    {
        var text = Repository.ReadText("local.settings.sample.json");

        Assert.DoesNotContain("AccountKey=", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessKey=", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("InstrumentationKey=", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_local_settings_template_names_every_identity_based_connection()
    {
        using var sample = JsonFiles.Read("local.settings.sample.json");
        var values = sample.RootElement.GetProperty("Values");

        Assert.Equal("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.Equal("managedidentity", values.GetProperty("KoppelStorage__credential").GetString());
        foreach (var name in new[]
                 {
                     "AzureWebJobsStorage__accountName", "KoppelStorage__blobServiceUri", "KoppelStorage__queueServiceUri",
                     "KoppelStorage__tableServiceUri", "ServiceBus__fullyQualifiedNamespace", "DeliveryQueueName", "Koppel__Azure__KeyVaultUri",
                 })
        {
            Assert.True(values.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String, $"{name} is missing.");
        }
    }

    [Fact]
    public void The_local_settings_queue_is_the_queue_the_bicep_creates()
    {
        using var sample = JsonFiles.Read("local.settings.sample.json");
        var bicep = Repository.ReadText("infra", "modules", "servicebus.bicep");

        var queue = sample.RootElement.GetProperty("Values").GetProperty("DeliveryQueueName").GetString();

        Assert.Contains($"param queueName string = '{queue}'", bicep, StringComparison.Ordinal);
    }
}
