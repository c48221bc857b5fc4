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

    [Fact]
    public void The_parameter_file_builds()
    {
        var outFile = Path.Combine(Path.GetTempPath(), $"koppel-main-{Guid.NewGuid():N}.parameters.json");
        try
        {
            var run = BicepCli.Run("build-params", "main.bicepparam", "--outfile", outFile);

            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Empty(run.Diagnostics("Error"));
            using var parameters = JsonDocument.Parse(File.ReadAllText(outFile));
            Assert.Equal("prod", parameters.RootElement.GetProperty("parameters").GetProperty("environmentName").GetProperty("value").GetString());
        }
        finally
        {
            File.Delete(outFile);
        }
    }

    [Theory]
    [InlineData("main.bicep")]
    [InlineData("main.bicepparam")]
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
}
