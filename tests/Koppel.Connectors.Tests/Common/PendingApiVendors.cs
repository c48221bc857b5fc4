using Koppel.Connectors.BoCount;
using Koppel.Connectors.Common;
using Koppel.Connectors.CountE;
using Koppel.Connectors.PingWin;
using Koppel.Connectors.Tests.Support;
using Koppel.Connectors.WingsOnline;

namespace Koppel.Connectors.Tests.Common;

/// <summary>
/// The vendors without a public document API (<see cref="PendingApiConnector"/>): each with its own settings, its
/// secret among them, the dossier's import mailbox and an invoice number of its own.
/// </summary>
public sealed record PendingApiVendor(string Name, string Key, string ImportAddress, string VendorSecret, string Number, IReadOnlyDictionary<string, string> Settings)
{
    internal PendingApiConnector Connector() => Key switch
    {
        PingWinConnector.Key => new PingWinConnector(TestNetwork.LoopbackAllowed),
        BoCountConnector.Key => new BoCountConnector(TestNetwork.LoopbackAllowed),
        CountEConnector.Key => new CountEConnector(TestNetwork.LoopbackAllowed),
        WingsOnlineConnector.Key => new WingsOnlineConnector(TestNetwork.LoopbackAllowed),
        _ => throw new ArgumentOutOfRangeException(nameof(Key), Key, "not a vendor of these tests"),
    };

    public static IReadOnlyDictionary<string, PendingApiVendor> All { get; } = new PendingApiVendor[]
    {
        new("PingWin", PingWinConnector.Key, "import.0123456749@pingwin.example", "pw-api-key-4711", "PW-2026-0007",
            new Dictionary<string, string> { ["apiKey"] = "pw-api-key-4711", ["clid"] = "C42", ["fileId"] = "F7" }),
        new("BoCount", BoCountConnector.Key, "aankoop.0123456749@bocount.example", "bocount-secret-1", "BC-2026-0108",
            new Dictionary<string, string> { ["user"] = "ws-peeters", ["password"] = "bocount-secret-1", ["companyNumber"] = "BE0123.456.749", ["baseUrl"] = "https://firm.bocount.example/" }),
        new("Count-e", CountEConnector.Key, "docs.1042@count-e.example", "counte-secret-9", "CE-2026-0310",
            new Dictionary<string, string> { ["user"] = "peeters", ["password"] = "counte-secret-9", ["apiUrl"] = "https://instance.count-e.example/api", ["database"] = "peeters", ["customerNumber"] = "1042" }),
        new("Wings Online", WingsOnlineConnector.Key, "inbox.42@wings.example", "wings-secret-8", "WO-2026-0042",
            new Dictionary<string, string> { ["user"] = "Wings8peeters", ["password"] = "wings-secret-8", ["internalNumber"] = "42", ["salesJournal"] = "VF", ["purchaseJournal"] = "AF" }),
    }.ToDictionary(v => v.Key, StringComparer.Ordinal);

    /// <summary>The vendors' keys, as theory data (a key shows in the test's name).</summary>
    public static TheoryData<string> Keys => new(All.Keys);
}
