using Koppel.Api.Functions;
using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Koppel.Api.Tests;

public sealed class When_the_core_throws
{
    [Fact]
    public void Validation_errors_answer_400_naming_the_fields()
    {
        var problem = ApiProblems.For(new RequestValidationException("fileName", "Give the file's name."), "trace-1");

        var validation = Assert.IsType<HttpValidationProblemDetails>(problem);
        Assert.Equal(400, validation.Status);
        Assert.Equal(["Give the file's name."], validation.Errors["fileName"]);
    }

    [Theory]
    [InlineData(typeof(AccessDeniedException), 403)]
    [InlineData(typeof(ResourceNotFoundException), 404)]
    [InlineData(typeof(ResourceConflictException), 409)]
    public void Known_failures_answer_their_status_with_the_message(Type exceptionType, int status)
    {
        var exception = (Exception)Activator.CreateInstance(exceptionType, "Dossier 0403170701 is gone.")!;

        var problem = ApiProblems.For(exception, "trace-1");

        Assert.Equal(status, problem.Status);
        Assert.Equal("Dossier 0403170701 is gone.", problem.Detail);
        Assert.False(ApiProblems.IsServerError(problem));
    }

    [Fact]
    public void Anything_else_is_a_500_that_shows_the_trace_id_and_never_the_exception_text()
    {
        var problem = ApiProblems.For(new InvalidOperationException("password=hunter2"), "trace-42");

        Assert.Equal(500, problem.Status);
        Assert.True(ApiProblems.IsServerError(problem));
        Assert.DoesNotContain("hunter2", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("trace-42", problem.Detail, StringComparison.Ordinal);
    }
}

public sealed class When_a_function_reads_the_query_string
{
    [Fact]
    public void Values_that_parse_are_returned_and_missing_ones_are_null()
    {
        var request = Request("?from=2026-01-01T00:00:00Z&max=5&status=delivered");

        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), ApiQuery.Instant(request, "from"));
        Assert.Null(ApiQuery.Instant(request, "to"));
        Assert.Equal(5, ApiQuery.Number(request, "max"));
        Assert.Equal(DeliveryStatus.Delivered, ApiQuery.Choice<DeliveryStatus>(request, "status"));
    }

    [Theory]
    [InlineData("?from=yesterday", "from")]
    [InlineData("?max=many", "max")]
    [InlineData("?status=lost", "status")]
    public void A_value_that_does_not_parse_is_a_validation_error_naming_the_parameter(string query, string name)
    {
        var request = Request(query);

        var error = Assert.Throws<RequestValidationException>(() =>
        {
            _ = ApiQuery.Instant(request, "from");
            _ = ApiQuery.Number(request, "max");
            _ = ApiQuery.Choice<DeliveryStatus>(request, "status");
        });

        Assert.Contains(name, error.Errors.Keys);
    }

    private static HttpRequest Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }
}
