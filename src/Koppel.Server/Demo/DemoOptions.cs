namespace Koppel.Server.Demo;

/// <summary>Configuration section <c>Koppel:Demo</c>: a dossier that works without outside accounts.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Koppel:Demo";

    public bool Enabled { get; set; }

    public string EnterpriseNumber { get; set; } = "0403170701";

    public string Name { get; set; } = "Demo Bakkerij BV";

    /// <summary>Where the demo's local-folder connection delivers.</summary>
    public string OutboxPath { get; set; } = Path.Combine(".state", "dev", "outbox");

    /// <summary>
    /// Also connect the demo dossier to the sandbox's Yuki and Exact Online (the provider fakes that
    /// <c>scripts/dev.sh --sandbox</c> starts): Yuki with the sandbox's key and administration, Exact through the OAuth
    /// consent round trip, which the sandbox Exact approves at once. Invoices are booked in both and show their references.
    /// </summary>
    public bool Sandbox { get; set; }

    /// <summary>The sandbox Yuki's domain key and its administration for the demo dossier (see tests/Koppel.ProviderFakes).</summary>
    public string SandboxYukiKey { get; set; } = "sandbox-yuki-domain-key";

    public string SandboxYukiAdministration { get; set; } = "5a7d0c0e-0000-4000-8000-000000000001";

    /// <summary>The sandbox Exact division of the demo dossier (tests/Koppel.ProviderFakes/SandboxFakes.cs).</summary>
    public int SandboxExactDivision { get; set; } = 100200;
}
