using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Common;

/// <summary>Descriptor pieces shared by the connectors that hand files over rather than book entries.</summary>
internal static class HandOver
{
    public static IReadOnlyDictionary<DocumentKind, DeliveryMode> AllKinds { get; } =
        Enum.GetValues<DocumentKind>().ToDictionary(kind => kind, _ => DeliveryMode.HandOver);

    public const ConnectorCapabilities Capabilities = ConnectorCapabilities.Deliver | ConnectorCapabilities.TestConnection;
}
