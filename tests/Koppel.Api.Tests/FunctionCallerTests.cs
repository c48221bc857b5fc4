using System.Text;
using System.Text.Json;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;

namespace Koppel.Api.Tests;

public sealed class When_a_function_key_caller_is_resolved
{
    private const string Dossier = "0403170701";

    [Fact]
    public void A_bare_function_key_acts_for_every_dossier()
    {
        var caller = FunctionCaller.From(new HeaderDictionary());

        Assert.True(caller.AllDossiers);
        Assert.Equal("function-key", caller.Name);
    }

    [Fact]
    public void A_declared_caller_name_is_recorded_but_grants_nothing_extra()
    {
        var caller = FunctionCaller.From(new HeaderDictionary { [FunctionCaller.CallerHeader] = "erp-sync" });

        Assert.Equal("function-key:erp-sync", caller.Name);
        Assert.True(caller.AllDossiers);
    }

    [Fact]
    public void Easy_auth_dossier_claims_narrow_the_caller_to_those_dossiers()
    {
        var headers = new HeaderDictionary
        {
            [FunctionCaller.PrincipalHeader] = Principal(("koppel:dossier", "BE 0403.170.701"), ("name", "ann")),
            [FunctionCaller.PrincipalNameHeader] = "ann@example.be",
            [FunctionCaller.CallerHeader] = "someone-else",
        };

        var caller = FunctionCaller.From(headers);

        Assert.Equal("ann@example.be", caller.Name);
        Assert.False(caller.AllDossiers);
        Assert.True(caller.CanAccess(Dossier));
        Assert.False(caller.CanAccess("0202239951"));
    }

    [Fact]
    public void An_easy_auth_star_claim_gives_every_dossier()
    {
        var caller = FunctionCaller.From(new HeaderDictionary { [FunctionCaller.PrincipalHeader] = Principal(("koppel:dossier", "*")) });

        Assert.True(caller.AllDossiers);
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("eyJub3QiOiAianNvbiJ9")]
    public void A_principal_without_readable_dossier_claims_may_see_no_dossier(string principal)
    {
        var caller = FunctionCaller.From(new HeaderDictionary { [FunctionCaller.PrincipalHeader] = principal });

        Assert.False(caller.AllDossiers);
        Assert.False(caller.CanAccess(Dossier));
    }

    [Fact]
    public void Control_characters_and_overlong_names_are_cleaned_before_they_reach_the_run_log()
    {
        var caller = FunctionCaller.From(new HeaderDictionary { [FunctionCaller.CallerHeader] = "evil\r\nname" + new string('x', 500) });

        Assert.DoesNotContain('\n', caller.Name);
        Assert.True(caller.Name.Length <= "function-key:".Length + 100);
    }

    private static string Principal(params (string Type, string Value)[] claims) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            auth_typ = "aad",
            claims = claims.Select(c => new { typ = c.Type, val = c.Value }),
        })));
}
