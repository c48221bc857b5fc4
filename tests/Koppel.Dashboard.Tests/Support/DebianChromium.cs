using Microsoft.Playwright;

namespace Koppel.Dashboard.Tests.Support;

/// <summary>Debian's Chromium, launched by Playwright with the settings of docs/toolchain.md section 7 (no browser download).</summary>
internal static class DebianChromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
}
