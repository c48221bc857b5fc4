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
}
