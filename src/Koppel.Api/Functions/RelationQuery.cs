using Koppel.Core.Relations;
using Microsoft.AspNetCore.Http;

namespace Koppel.Api.Functions;

/// <summary>The search of <c>GET …/relations</c>: <c>?vat=&amp;enterprise=&amp;iban=&amp;name=&amp;connectionId=</c>, read the same way by both hosts.</summary>
public static class RelationQuery
{
    public static PartySearch From(HttpRequest request) => new(
        ApiQuery.Text(request, "vat"),
        ApiQuery.Text(request, "enterprise"),
        ApiQuery.Text(request, "iban"),
        ApiQuery.Text(request, "name"),
        ApiQuery.Text(request, "connectionId"));
}
