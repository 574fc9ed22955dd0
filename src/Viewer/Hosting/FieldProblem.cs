using Microsoft.AspNetCore.Http.HttpResults;

namespace GeoMine.Viewer.Hosting;

/// <summary>The one shape of a refused request field: 400 with a problem document whose <c>field</c> member names the field
/// (the page puts the message beside that field) and whose detail says what is wrong and what is expected.</summary>
internal static class FieldProblem
{
    /// <summary>400 about <paramref name="field"/>, titled <paramref name="title"/> (e.g. "bad alarm request").</summary>
    public static ProblemHttpResult Bad(string title, string field, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title,
            extensions: new Dictionary<string, object?> { ["field"] = field });
}
