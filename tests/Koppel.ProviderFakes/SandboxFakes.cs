using Koppel.ProviderFakes.Dropbox;
using Koppel.ProviderFakes.ExactOnline;
using Koppel.ProviderFakes.Octopus;
using Koppel.ProviderFakes.Onea;
using Koppel.ProviderFakes.OneDrive;
using Koppel.ProviderFakes.Venice;
using Koppel.ProviderFakes.Yokoy;
using Koppel.ProviderFakes.Yuki;
using Koppel.ProviderFakes.Zenvoices;

namespace Koppel.ProviderFakes;

/// <summary>The fakes the sandbox serves. A new provider's fake adds one line here.</summary>
public static class SandboxFakes
{
    /// <summary>The sandbox Exact app's client secret (the server gets it from scripts/dev.sh; a sandbox value, not a secret).</summary>
    public const string ExactClientSecret = "sandbox-exact-client-secret";

    /// <summary>The sandbox Dropbox app's secret and the sandbox Microsoft app's client secret (from scripts/dev.sh; sandbox values, not secrets).</summary>
    public const string DropboxAppSecret = "sandbox-dropbox-app-secret";

    public const string OneDriveClientSecret = "sandbox-onedrive-client-secret";

    /// <summary>The sandbox Exact division of the demo dossier (Koppel.Server's DemoOptions use the same number).</summary>
    public const int ExactDivision = 100200;

    public static IEnumerable<IProviderFake> All()
    {
        yield return SandboxExact();
        yield return new YokoyFake();
        var yuki = new YukiFake();
        yuki.AddDomainKey("sandbox-yuki-domain-key", "sandbox-domain", (new Guid("5a7d0c0e-0000-4000-8000-000000000001"), "Demo Bakkerij BV"), (new Guid("5a7d0c0e-0000-4000-8000-000000000002"), "Demo Slagerij BV"));
        yuki.AddAdministrationKey("sandbox-yuki-admin-key", "sandbox-domain", new Guid("5a7d0c0e-0000-4000-8000-000000000001"), "Demo Bakkerij BV");
        yield return yuki;
        yield return new ZenvoicesFake();
        yield return new OctopusFake();
        yield return new OneaFake();
        yield return new VeniceFake();
        var dropbox = new DropboxFake { AppSecret = DropboxAppSecret };
        dropbox.ConsentingAccount = dropbox.AddAccount("Sandbox Boekhouder", teamName: "Demo Bakkerij BV");
        yield return dropbox;
        var onedrive = new OneDriveFake { ClientSecret = OneDriveClientSecret };
        onedrive.ConsentingUser = onedrive.AddUser("Sandbox Boekhouder");
        yield return onedrive;
    }

    /// <summary>
    /// Exact Online with one user who approves every consent at once (no sign-in page): a browser, or the demo seeder,
    /// that opens the authorisation URL is sent straight back to the redirect URI with a code.
    /// </summary>
    private static ExactOnlineFake SandboxExact()
    {
        var exact = new ExactOnlineFake { ClientSecret = ExactClientSecret };
        exact.DescribeDivision(ExactDivision, "Demo Bakkerij BV", "BE0403170701", "0403170701");

        // Two more clients of the same bookkeeper, for "add from accounting software" (GET …/administrations).
        exact.DescribeDivision(100201, "Garage Peeters BV", "BE0200065765", "0200065765", "boekhouding@garage-peeters.example");
        exact.DescribeDivision(100202, "Bloemen Anja", "BE0417497106", "0417497106", "anja@bloemen.example");
        var user = exact.AddUser("Sandbox Boekhouder", ExactDivision, 100201, 100202);
        foreach (var division in new[] { ExactDivision, 100201, 100202 })
        {
            exact.AddGLAccount(division, "700000", "Omzet");
            exact.AddGLAccount(division, "604000", "Aankopen handelsgoederen");
        }

        exact.ConsentingUser = user;
        return exact;
    }
}
