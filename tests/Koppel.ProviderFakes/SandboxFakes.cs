using Koppel.ProviderFakes.Octopus;
using Koppel.ProviderFakes.Venice;
using Koppel.ProviderFakes.Yuki;

namespace Koppel.ProviderFakes;

/// <summary>The fakes the sandbox serves. A new provider's fake adds one line here.</summary>
public static class SandboxFakes
{
    public static IEnumerable<IProviderFake> All()
    {
        yield return new ExactOnline.ExactOnlineFake();
        var yuki = new YukiFake();
        yuki.AddDomainKey("sandbox-yuki-domain-key", "sandbox-domain", (new Guid("5a7d0c0e-0000-4000-8000-000000000001"), "Demo Bakkerij BV"), (new Guid("5a7d0c0e-0000-4000-8000-000000000002"), "Demo Slagerij BV"));
        yuki.AddAdministrationKey("sandbox-yuki-admin-key", "sandbox-domain", new Guid("5a7d0c0e-0000-4000-8000-000000000001"), "Demo Bakkerij BV");
        yield return yuki;
        yield return new OctopusFake();
        yield return new VeniceFake();
    }
}
