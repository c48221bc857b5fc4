using System.Text.Json;
using Microsoft.Playwright;

namespace Koppel.Dashboard.Tests.Support;

/// <summary>
/// Deque's axe-core (pinned in tools/axe, installed by scripts/test.sh) injected into the page from disk and run
/// against the WCAG 2.1 A and AA rules. Answers each violation as "rule (impact): what, at which elements".
/// </summary>
internal static class Axe
{
    private static readonly Lazy<string> Script = new(() =>
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "Koppel.slnf")))
        {
            root = Path.GetDirectoryName(root.TrimEnd(Path.DirectorySeparatorChar));
        }

        var path = Path.Combine(root ?? throw new InvalidOperationException("The repository root (Koppel.slnf) is not above the test's folder."), "tools", "axe", "node_modules", "axe-core", "axe.min.js");
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new InvalidOperationException($"axe-core is not installed at {path}: run 'npm ci' in tools/axe (scripts/test.sh does).");
    });

    public static async Task<IReadOnlyList<string>> ViolationsAsync(IPage page)
    {
        // Evaluated as a function body, not a <script> tag: the dashboard's CSP forbids inline script, rightly.
        await page.EvaluateAsync(Script.Value + "\n;window.__axe = axe; undefined;");
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const result = await window.__axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
              return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
            }
            """);
        return [.. result.EnumerateArray().Select(v =>
            $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()}, at {string.Join(", ", v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()))}")];
    }
}
