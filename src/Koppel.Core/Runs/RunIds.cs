using System.Globalization;
using System.Security.Cryptography;

namespace Koppel.Core.Runs;

/// <summary>
/// Run ids sort newest first as plain strings (inverted ticks), so a table scan of a dossier's run log
/// returns the latest runs without an index. A random suffix keeps ids unique within a tick.
/// </summary>
public static class RunIds
{
    public static string New(DateTimeOffset now)
    {
        var inverted = DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks;
        return "r" + inverted.ToString("D19", CultureInfo.InvariantCulture) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }
}
