using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Koppel.Server.Security;

/// <summary>API keys always; JWT bearer tokens as well when <see cref="JwtOptions"/> is configured.</summary>
public static class AuthenticationSetup
{
    private const string SelectorScheme = "ApiKeyOrBearer";

    public static void AddKoppelAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var jwt = configuration.GetSection(JwtOptions.SectionName).Get<JwtOptions>() ?? new JwtOptions();
        var authentication = services.AddAuthentication(jwt.IsConfigured ? SelectorScheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (!jwt.IsConfigured)
        {
            return;
        }

        // A public key alone says who signed, not for whom the token was issued: without an issuer to check, a token
        // of any other application signed by the same key would get in. Refuse to start rather than run open.
        if (string.IsNullOrWhiteSpace(jwt.Authority) && string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            throw new InvalidOperationException(
                $"{JwtOptions.SectionName}:IssuerPublicKeyPem is set without {JwtOptions.SectionName}:Issuer. Set the issuer the tokens carry (the 'iss' claim), or use {JwtOptions.SectionName}:Authority.");
        }

        // A request that carries an API key is judged by the key; anything else by its bearer token.
        authentication.AddPolicyScheme(SelectorScheme, "API key or bearer token", options =>
            options.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName) ? ApiKeyAuthenticationHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme);
        authentication.AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.Audience = jwt.Audience;
            options.TokenValidationParameters.ValidAudience = jwt.Audience;
            options.TokenValidationParameters.NameClaimType = "sub";
            if (!string.IsNullOrWhiteSpace(jwt.Authority))
            {
                options.Authority = jwt.Authority;
            }
            else
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(jwt.IssuerPublicKeyPem);
                options.TokenValidationParameters.IssuerSigningKey = new RsaSecurityKey(rsa);
                options.TokenValidationParameters.ValidIssuer = jwt.Issuer;
                options.TokenValidationParameters.ValidateIssuer = true;
            }
        });
    }
}
