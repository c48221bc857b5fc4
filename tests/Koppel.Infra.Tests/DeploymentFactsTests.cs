using System.Text.Json.Nodes;
using Koppel.Infra.Tests.Support;

namespace Koppel.Infra.Tests;

/// <summary>What the compiled ARM template promises the team that deploys and runs Koppel.</summary>
[Collection(BicepCollection.Name)]
public sealed class When_the_template_is_deployed(CompiledTemplate template)
{
    private static readonly Dictionary<string, string> RoleIds = new(StringComparer.Ordinal)
    {
        ["Storage Blob Data Owner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["Storage Queue Data Contributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        ["Storage Table Data Contributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
        ["Azure Service Bus Data Sender"] = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
        ["Azure Service Bus Data Receiver"] = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
        ["Key Vault Secrets Officer"] = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        ["Monitoring Metrics Publisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
    };

    [Fact]
    public void The_delivery_queue_requires_sessions_and_duplicate_detection()
    {
        var queue = Properties(template.TheOnly("Microsoft.ServiceBus/namespaces/queues"));

        Assert.True((bool)queue["requiresSession"]!);
        Assert.True((bool)queue["requiresDuplicateDetection"]!);
        Assert.Equal("PT1H", (string?)queue["duplicateDetectionHistoryTimeWindow"]);
        Assert.Equal("PT5M", (string?)queue["lockDuration"]);
        Assert.True((bool)queue["deadLetteringOnMessageExpiration"]!);
        Assert.NotNull(queue["maxDeliveryCount"]);
    }

    [Fact]
    public void Service_bus_is_standard_tier_and_accepts_no_shared_access_keys()
    {
        var ns = template.TheOnly("Microsoft.ServiceBus/namespaces");

        Assert.Equal("Standard", (string?)ns["sku"]!["name"]);
        Assert.True((bool)Properties(ns)["disableLocalAuth"]!);
    }

    [Fact]
    public void Storage_accepts_no_shared_keys_and_keeps_deleted_blobs()
    {
        var account = Properties(template.TheOnly("Microsoft.Storage/storageAccounts"));
        var blobs = Properties(template.TheOnly("Microsoft.Storage/storageAccounts/blobServices"));

        Assert.False((bool)account["allowSharedKeyAccess"]!);
        Assert.False((bool)account["allowBlobPublicAccess"]!);
        Assert.True((bool)blobs["isVersioningEnabled"]!);
        Assert.True((bool)blobs["deleteRetentionPolicy"]!["enabled"]!);
        Assert.True((bool)blobs["containerDeleteRetentionPolicy"]!["enabled"]!);
    }

    [Fact]
    public void Storage_holds_the_inbox_archive_quarantine_and_events_containers_the_tables_and_the_export_and_webhook_queues()
    {
        var storageModule = template.OfType("Microsoft.Resources/deployments").Single(d => (string?)d["name"] == "storage");
        var variables = storageModule["properties"]!["template"]!["variables"]!;

        Assert.Equal(["inbox", "archive", "quarantine", "events"], variables["koppelContainers"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["dossiers", "connections", "documents", "deliveries", "runlog", "history", "leases", "quota", "webhooks", "webhookdeadletters", "payments", "pollslots", "readback", "relations"], variables["koppelTables"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["exports", "exports-poison", "webhooks", "webhooks-poison", "polls", "polls-poison", "relationsyncs", "relationsyncs-poison"], variables["koppelQueues"]!.AsArray().Select(n => (string?)n));
        Assert.Single(template.OfType("Microsoft.EventGrid/systemTopics"));
    }

    [Fact]
    public void Key_vault_uses_rbac_soft_delete_and_purge_protection()
    {
        var vault = Properties(template.TheOnly("Microsoft.KeyVault/vaults"));

        Assert.True((bool)vault["enableRbacAuthorization"]!);
        Assert.True((bool)vault["enableSoftDelete"]!);
        Assert.True((bool)vault["enablePurgeProtection"]!);
    }

    [Fact]
    public void The_functions_app_runs_on_flex_consumption_as_a_dotnet_isolated_worker()
    {
        var plan = template.TheOnly("Microsoft.Web/serverfarms");
        var site = template.TheOnly("Microsoft.Web/sites");
        var runtime = Properties(site)["functionAppConfig"]!["runtime"]!;

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("dotnet-isolated", (string?)runtime["name"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        Assert.True((bool)Properties(site)["httpsOnly"]!);
    }

    [Fact]
    public void App_settings_are_identity_based_and_name_no_unsupported_setting()
    {
        var settings = Properties(template.TheOnly("Microsoft.Web/sites/config")).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(
            new HashSet<string>(StringComparer.Ordinal)
            {
                "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
                "KoppelStorage__blobServiceUri", "KoppelStorage__queueServiceUri", "KoppelStorage__tableServiceUri", "KoppelStorage__credential",
                "ServiceBus__fullyQualifiedNamespace", "ServiceBus__credential", "DeliveryQueueName", "Koppel__Azure__KeyVaultUri", "AZURE_CLIENT_ID",
            },
            settings);

        // Flex Consumption refuses these as app settings (the runtime is functionAppConfig.runtime) and Linux ignores the time zone.
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings);
        Assert.DoesNotContain("WEBSITE_TIME_ZONE", settings);
        Assert.DoesNotContain(settings, s => s.EndsWith("ConnectionString", StringComparison.Ordinal) && s != "APPLICATIONINSIGHTS_CONNECTION_STRING");
    }

    [Fact]
    public void The_template_contains_no_key_or_connection_string_secret()
    {
        Assert.DoesNotContain("AccountKey=", template.Json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SharedAccessKey", template.Json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listConnectionStrings", template.Json, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_app_identity_gets_exactly_the_roles_it_needs()
    {
        var assigned = template.OfType("Microsoft.Authorization/roleAssignments")
            .Select(r => (string)Properties(r)["roleDefinitionId"]!)
            .Select(expression => RoleIds.Single(role => VariableValueIn(expression, role.Value)).Key)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(RoleIds.Keys.ToHashSet(StringComparer.Ordinal), assigned);
    }

    [Fact]
    public void Every_role_assignment_name_is_a_guid_of_scope_principal_and_role()
    {
        foreach (var assignment in template.OfType("Microsoft.Authorization/roleAssignments"))
        {
            var name = (string)assignment["name"]!;
            Assert.StartsWith("[guid(", name, StringComparison.Ordinal);
            Assert.Contains("principalid", name, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("variables('", name, StringComparison.Ordinal);
        }
    }

    private static JsonObject Properties(JsonObject resource) => resource["properties"]!.AsObject();

    // Role ids live in named variables; the compiled expression names the variable, whose value is the GUID.
    private bool VariableValueIn(string expression, string roleId) =>
        template.OfType("Microsoft.Resources/deployments")
            .Select(d => d["properties"]?["template"]?["variables"]?.AsObject())
            .OfType<JsonObject>()
            .SelectMany(v => v)
            .Any(v => v.Value is JsonValue value && value.TryGetValue<string>(out var text) && text == roleId
                && expression.Contains($"variables('{v.Key}')", StringComparison.Ordinal));
}
