using System.Text.Json;
using Koppel.Infra.Tests.Support;

namespace Koppel.Infra.Tests;

/// <summary>
/// The Functions app's source stays thin: each function a few lines calling code built and tested elsewhere. What the
/// build makes of it (functions.metadata, the DI container, the HTTP answers) is tested in tests/Koppel.Functions.Tests.
/// </summary>
public sealed class When_the_functions_app_is_read
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
    public void The_functions_source_has_no_placeholders()
    {
        var source = AllSource();

        Assert.DoesNotContain("NotImplementedException", source, StringComparison.Ordinal);
        Assert.DoesNotContain("TODO", source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_functions_app_and_its_tests_are_in_functions_sln_and_in_the_solution_filter_built_here()
    {
        var solution = Repository.ReadText("Functions.sln");
        var filtered = SolutionFilterProjects();

        Assert.Contains(@"src\Koppel.Functions\Koppel.Functions.csproj", solution, StringComparison.Ordinal);
        Assert.Contains("src/Koppel.Functions/Koppel.Functions.csproj", filtered);
        Assert.Contains(@"tests\Koppel.Functions.Tests\Koppel.Functions.Tests.csproj", solution, StringComparison.Ordinal);
        Assert.Contains("tests/Koppel.Functions.Tests/Koppel.Functions.Tests.csproj", filtered);
        Assert.Contains(@"tests\Koppel.Infra.Tests\Koppel.Infra.Tests.csproj", solution, StringComparison.Ordinal);
        Assert.Contains("tests/Koppel.Infra.Tests/Koppel.Infra.Tests.csproj", filtered);
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

}
