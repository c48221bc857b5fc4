using Koppel.Formats.Ubl;

namespace Koppel.Formats.Validation;

/// <summary>Arithmetic exactly as the official XPath rules do it (decimal, round half up).</summary>
internal static class RuleMath
{
    /// <summary>XPath round(): half-way values go up (towards positive infinity), unlike banker's rounding.</summary>
    public static decimal Round(decimal value) => Math.Floor(value + 0.5m);

    /// <summary>The schematron idiom round(x * 10 * 10) div 100.</summary>
    public static decimal Round2(decimal value) => Math.Floor((value * 100m) + 0.5m) / 100m;

    public static decimal Sum(IEnumerable<UblAmount?> amounts) => amounts.Sum(a => a?.Value ?? 0m);

    /// <summary>Number of decimals as written ("1.50" has two), for the BR-DEC rules.</summary>
    public static bool HasAtMostTwoDecimals(UblAmount? amount) => amount is null || amount.WrittenDecimals <= 2;

    public static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);
}
