using Koppel.ProviderFakes.Octopus;
using Koppel.ProviderFakes.Venice;

namespace Koppel.ProviderFakes;

/// <summary>The fakes the sandbox serves. A new provider's fake adds one line here.</summary>
public static class SandboxFakes
{
    public static IEnumerable<IProviderFake> All()
    {
        yield return new OctopusFake();
        yield return new VeniceFake();
    }
}
