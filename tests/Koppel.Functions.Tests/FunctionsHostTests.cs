using Azure.Messaging.ServiceBus;
using Koppel.Azure.Secrets;
using Koppel.Azure.ServiceBus;
using Koppel.Core.Ports;
using Koppel.Functions.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Functions.Tests;

/// <summary>The app's DI container, built as Program.cs builds it from settings shaped like local.settings.sample.json.</summary>
public sealed class When_the_functions_host_is_built_from_the_settings_template
{
    public static TheoryData<string> FunctionClasses()
    {
        var data = new TheoryData<string>();
        foreach (var type in FunctionsBuild.FunctionMethods.Values.Select(m => m.DeclaringType!).Distinct().OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FunctionClasses))]
    public void The_container_creates_every_function_class(string typeName)
    {
        using var host = FunctionsHost.Build(SettingsTemplate.Values());
        var type = FunctionsBuild.Assembly.GetType(typeName, throwOnError: true)!;

        // The worker creates a function class per invocation the same way: constructor arguments from the container.
        Assert.NotNull(ActivatorUtilities.CreateInstance(host.Services, type));
    }

    [Fact]
    public void Delivery_work_goes_to_the_service_bus_queue_the_trigger_listens_on()
    {
        var settings = SettingsTemplate.Values();
        using var host = FunctionsHost.Build(settings);

        Assert.IsType<ServiceBusWorkQueue>(host.Services.GetRequiredService<IWorkQueue>());
        var sender = host.Services.GetRequiredService<ServiceBusSender>();
        Assert.Equal(settings["ServiceBus:fullyQualifiedNamespace"], sender.FullyQualifiedNamespace);
        Assert.Equal(settings["DeliveryQueueName"], sender.EntityPath);
        Assert.NotNull(host.Services.GetRequiredService<ServiceBusDeliveryProcessor>());
    }

    [Fact]
    public void Telemetry_goes_to_application_insights_through_opentelemetry_alone_signed_in_as_the_app()
    {
        var settings = SettingsTemplate.Values();
        settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope.in.applicationinsights.azure.com/";
        using var host = FunctionsHost.Build(settings);

        Assert.NotNull(host.Services.GetService<OpenTelemetry.Trace.TracerProvider>());
        Assert.IsType<global::Azure.Identity.DefaultAzureCredential>(
            host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<global::Azure.Monitor.OpenTelemetry.Exporter.AzureMonitorExporterOptions>>().CurrentValue.Credential);
        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "Microsoft.ApplicationInsights");
    }

    [Fact]
    public void Credentials_are_kept_in_the_key_vault_the_settings_name()
    {
        using var host = FunctionsHost.Build(SettingsTemplate.Values());

        Assert.IsType<KeyVaultSecretStore>(host.Services.GetRequiredService<ISecretStore>());
    }

    [Fact]
    public void An_unfilled_service_bus_placeholder_stops_the_app_naming_the_setting()
    {
        var settings = SettingsTemplate.Values(fillPlaceholders: false);
        settings["KoppelStorage:blobServiceUri"] = "https://koppeltest.blob.core.windows.net";
        settings["KoppelStorage:queueServiceUri"] = "https://koppeltest.queue.core.windows.net";
        settings["KoppelStorage:tableServiceUri"] = "https://koppeltest.table.core.windows.net";
        settings["Koppel:Azure:KeyVaultUri"] = "https://koppeltest.vault.azure.net/";

        var error = Assert.ThrowsAny<Exception>(() => FunctionsHost.Build(settings));

        Assert.Contains("ServiceBus__fullyQualifiedNamespace", error.ToString(), StringComparison.Ordinal);
    }
}
