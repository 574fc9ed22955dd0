using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace GeoMine.Viewer.Hosting;

/// <summary>
/// Requests whose cost grows with the data they cover (patrol coverage over a period) run at most
/// <c>Limits:HeavyConcurrent</c> at a time (default: half the cores, at least one: their work runs in PostgreSQL, on the same
/// cores), and at most <c>Limits:HeavyQueue</c> (16) wait;
/// beyond that the answer is 429 with Retry-After. Everything else keeps the cores it needs: many coverage requests at once
/// cannot starve the feeds, the map or the alarm loop (ASP.NET Core's concurrency limiter, per app node).
/// </summary>
internal static class HeavyRequests
{
    /// <summary>The rate-limiting policy heavy endpoints require.</summary>
    public const string Policy = "heavy";

    public static IServiceCollection AddHeavyRequestLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var concurrent = configuration.GetValue("Limits:HeavyConcurrent", Math.Max(1, Environment.ProcessorCount / 2));
        var queue = configuration.GetValue("Limits:HeavyQueue", 16);
        return services.AddRateLimiter(o =>
        {
            o.AddConcurrencyLimiter(Policy, c =>
            {
                c.PermitLimit = Math.Max(1, concurrent);
                c.QueueLimit = Math.Max(0, queue);
                c.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
            });
            o.OnRejected = (context, ct) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "5";
                return new ValueTask(TypedResults.Problem(
                    $"the server is already computing {concurrent} heavy requests and {queue} more are waiting; send again after Retry-After seconds",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "busy").ExecuteAsync(context.HttpContext));
            };
        });
    }
}
