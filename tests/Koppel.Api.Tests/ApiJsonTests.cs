using System.Text;
using System.Text.Json;
using Koppel.Core.Dossiers;
using Koppel.Core.Errors;
using Microsoft.AspNetCore.Http;

namespace Koppel.Api.Tests;

public sealed class When_a_function_reads_a_json_body
{
    [Fact]
    public async Task A_camel_case_body_is_read_whatever_the_content_type()
    {
        var input = await ApiJson.ReadBodyAsync<DossierInput>(Request("{\"name\":\"Bakkerij Peeters\",\"enterpriseNumber\":\"0403170701\"}"), CancellationToken.None);

        Assert.Equal("Bakkerij Peeters", input.Name);
        Assert.Equal("0403170701", input.EnterpriseNumber);
    }

    [Fact]
    public async Task A_null_body_is_a_validation_error()
    {
        var error = await Assert.ThrowsAsync<RequestValidationException>(() => ApiJson.ReadBodyAsync<DossierInput>(Request("null"), CancellationToken.None));

        Assert.Contains("body", error.Errors.Keys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"name\":")]
    public async Task A_broken_body_is_a_json_error_that_the_api_answers_with_400(string body)
    {
        var error = await Assert.ThrowsAsync<JsonException>(() => ApiJson.ReadBodyAsync<DossierInput>(Request(body), CancellationToken.None));

        Assert.Equal(400, ApiProblems.For(error, "trace").Status);
    }

    private static HttpRequest Request(string body)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Request.ContentType = "text/plain";
        return context.Request;
    }
}
