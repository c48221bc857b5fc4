using System.Text.Json;
using Koppel.Infra.Tests.Support;

namespace Koppel.Infra.Tests;

/// <summary>The Bicep compiles, its parameter file compiles, and the linter (rules raised to error) has nothing to say.</summary>
[Collection(BicepCollection.Name)]
public sealed class When_the_bicep_is_validated_offline(CompiledTemplate template)
{
    [Fact]
    public void Main_bicep_builds_without_errors_or_warnings()
    {
        Assert.True(template.Build.ExitCode == 0, template.Build.Output);
        Assert.Empty(template.Build.Diagnostics("Error"));
        Assert.Empty(template.Build.Diagnostics("Warning"));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("test")]
    [InlineData("prod")]
    public void Each_environments_parameter_file_builds_for_that_environment(string environment)
    {
        using var parameters = BuildParameters(environment, new Dictionary<string, string>());

        Assert.Equal(environment, parameters.RootElement.GetProperty("environmentName").GetProperty("value").GetString());
        Assert.Equal("koppel", parameters.RootElement.GetProperty("baseName").GetProperty("value").GetString());
        Assert.False(parameters.RootElement.GetProperty("subscribeInboxEvents").GetProperty("value").GetBoolean());
    }

    [Fact]
    public void The_second_pass_subscribes_the_inbox_when_the_pipeline_says_so()
    {
        using var parameters = BuildParameters("prod", new Dictionary<string, string> { ["KOPPEL_SUBSCRIBE_INBOX_EVENTS"] = "true" });

        Assert.True(parameters.RootElement.GetProperty("subscribeInboxEvents").GetProperty("value").GetBoolean());
    }

    [Fact]
    public void Production_may_scale_out_at_least_as_far_as_test()
    {
        using var test = BuildParameters("test", new Dictionary<string, string>());
        using var prod = BuildParameters("prod", new Dictionary<string, string>());

        Assert.True(MaximumInstances(prod) >= MaximumInstances(test));
    }

    [Theory]
    [InlineData("main.bicep")]
    [InlineData("env/dev.bicepparam")]
    [InlineData("env/test.bicepparam")]
    [InlineData("env/prod.bicepparam")]
    public void Lint_is_clean(string file)
    {
        var run = BicepCli.Run("lint", file);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Empty(run.Diagnostics("Error"));
        Assert.Empty(run.Diagnostics("Warning"));
    }

    [Theory]
    [InlineData("no-unused-params")]
    [InlineData("no-unused-vars")]
    [InlineData("use-recent-api-versions")]
    [InlineData("secure-secrets-in-params")]
    [InlineData("outputs-should-not-contain-secrets")]
    [InlineData("no-hardcoded-env-urls")]
    public void The_linter_treats_the_rule_as_an_error(string rule)
    {
        using var config = JsonFiles.Read("infra", "bicepconfig.json");

        var level = config.RootElement.GetProperty("analyzers").GetProperty("core").GetProperty("rules").GetProperty(rule).GetProperty("level").GetString();

        Assert.Equal("error", level);
    }

    [Fact]
    public void Every_module_is_local()
    {
        foreach (var file in Directory.EnumerateFiles(Repository.PathOf("infra"), "*.bicep*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain("br/public:", File.ReadAllText(file), StringComparison.Ordinal);
            Assert.DoesNotContain("br:", File.ReadAllText(file), StringComparison.Ordinal);
        }
    }

    private static int MaximumInstances(JsonDocument parameters) =>
        parameters.RootElement.GetProperty("functionScale").GetProperty("value").GetProperty("maximumInstanceCount").GetInt32();

    /// <summary>The "parameters" object that bicep build-params writes for infra/env/{environment}.bicepparam.</summary>
    private static JsonDocument BuildParameters(string environment, IReadOnlyDictionary<string, string> variables)
    {
        var outFile = Path.Combine(Path.GetTempPath(), $"koppel-{environment}-{Guid.NewGuid():N}.parameters.json");
        try
        {
            var run = BicepCli.RunWith(variables, "build-params", $"env/{environment}.bicepparam", "--outfile", outFile);

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Empty(run.Diagnostics("Error"));
            using var file = JsonDocument.Parse(File.ReadAllText(outFile));
            return JsonDocument.Parse(file.RootElement.GetProperty("parameters").GetRawText());
        }
        finally
        {
            File.Delete(outFile);
        }
    }
}
