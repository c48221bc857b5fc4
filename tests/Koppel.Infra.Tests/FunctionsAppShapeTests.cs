using System.Text.Json;
using System.Text.RegularExpressions;
using Koppel.Infra.Tests.Support;

namespace Koppel.Infra.Tests;

/// <summary>
/// The Functions app cannot be built here, so these tests read its source: each function stays a few lines that call
/// code built and tested here, every API operation has its HTTP trigger, and the project stays out of Koppel.slnf.
/// </summary>
public sealed partial class When_the_functions_app_is_read
{
    private const int MaxLinesPerFunctionFile = 30;

    private static readonly string FunctionsProject = Repository.PathOf("src", "Koppel.Functions");

    public static TheoryData<string> FunctionFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(FunctionsProject, "*Function.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(FunctionsProject, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FunctionFiles))]
    public void Each_function_is_one_short_file(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(FunctionsProject, file));

        Assert.True(lines.Length <= MaxLinesPerFunctionFile, $"{file} has {lines.Length} lines; keep functions under {MaxLinesPerFunctionFile} and move logic into a handler.");
        Assert.Single(lines, l => l.Contains("[Function(", StringComparison.Ordinal));
    }

    [Fact]
    public void There_are_blob_service_bus_timer_and_http_functions()
    {
        var source = AllSource();

        Assert.Contains("Source = BlobTriggerSource.EventGrid", source, StringComparison.Ordinal);
        Assert.Contains("IsSessionsEnabled = true, AutoCompleteMessages = false", source, StringComparison.Ordinal);
        Assert.Contains("[TimerTrigger(\"0 */5 * * * *\")]", source, StringComparison.Ordinal);
        Assert.Contains("[HttpTrigger(", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_http_function_needs_a_function_key()
    {
        var triggers = HttpTrigger().Matches(AllSource()).Select(m => m.Groups["level"].Value).ToList();

        Assert.NotEmpty(triggers);
        Assert.All(triggers, level => Assert.Equal("Function", level));
    }

    [Fact]
    public void Every_api_operation_has_an_http_function()
    {
        var operations = typeof(Koppel.Api.KoppelApi).GetMethods()
            .Where(m => m.DeclaringType == typeof(Koppel.Api.KoppelApi))
            .Select(m => m.Name)
            .ToList();
        var source = AllSource();

        Assert.NotEmpty(operations);
        Assert.All(operations, operation => Assert.Contains($"api.{operation}(", source, StringComparison.Ordinal));
    }

    [Fact]
    public void The_functions_source_has_no_placeholders()
    {
        var source = AllSource();

        Assert.DoesNotContain("NotImplementedException", source, StringComparison.Ordinal);
        Assert.DoesNotContain("TODO", source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_functions_project_is_in_functions_sln_and_in_the_solution_filter_built_here()
    {
        var solution = Repository.ReadText("Functions.sln");
        var filtered = SolutionFilterProjects();

        Assert.Contains(@"src\Koppel.Functions\Koppel.Functions.csproj", solution, StringComparison.Ordinal);
        Assert.Contains("src/Koppel.Functions/Koppel.Functions.csproj", filtered);
        Assert.Contains(@"tests\Koppel.Infra.Tests\Koppel.Infra.Tests.csproj", solution, StringComparison.Ordinal);
        Assert.Contains("tests/Koppel.Infra.Tests/Koppel.Infra.Tests.csproj", filtered);
    }

    [Fact]
    public void Host_json_at_the_root_is_published_with_the_app()
    {
        var project = File.ReadAllText(Path.Combine(FunctionsProject, "Koppel.Functions.csproj"));

        Assert.Contains("<None Include=\"../../host.json\"", project, StringComparison.Ordinal);
        Assert.True(File.Exists(Repository.PathOf("host.json")));
    }

    private static string AllSource() => string.Join(
        '\n',
        Directory.EnumerateFiles(FunctionsProject, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));

    private static List<string> SolutionFilterProjects()
    {
        using var filter = JsonFiles.Read("Koppel.slnf");
        return filter.RootElement.GetProperty("solution").GetProperty("projects").EnumerateArray().Select(p => p.GetString()!).ToList();
    }

    [GeneratedRegex(@"\[HttpTrigger\(AuthorizationLevel\.(?<level>\w+)")]
    private static partial Regex HttpTrigger();
}
