using System.Collections.Concurrent;
using GeoMine.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace GeoMine.Viewer.Tests.Notifications;

/// <summary>A real HTTP peer on a loopback port standing in for a WeCom or DingTalk robot, an SMS gateway or another
/// system's webhook: it records every request (path, query, headers, raw body) and answers what <see cref="Answer"/> says
/// (by default 200 <c>{"errcode":0,"errmsg":"ok"}</c>, as the robots do).</summary>
internal sealed class PeerReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PeerReceiver(WebApplication app, int port) => (_app, Port) = (app, port);

    public int Port { get; }

    public string Root => $"http://127.0.0.1:{Port}";

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>The status and body for a request (the count is how many this path had before it, from 0).</summary>
    public Func<ReceivedRequest, int, (int Status, string Body)> Answer { get; set; } = (_, _) => (200, """{"errcode":0,"errmsg":"ok"}""");

    /// <summary>How long the peer takes to answer.</summary>
    public TimeSpan Delay { get; set; }

    public static async Task<PeerReceiver> StartAsync()
    {
        var port = FreePort.Next();
        var app = WebApplication.CreateSlimBuilder().Build();
        app.Urls.Add($"http://127.0.0.1:{port}");
        var receiver = new PeerReceiver(app, port);
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var request = new ReceivedRequest(context.Request.Path, context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), await reader.ReadToEndAsync());
            var before = receiver.Requests.Count(r => r.Path == request.Path);
            receiver.Requests.Enqueue(request);
            if (receiver.Delay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(receiver.Delay, context.RequestAborted); // a sender that dies ends the wait
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            var (status, body) = receiver.Answer(request, before);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request as the peer received it.</summary>
internal sealed record ReceivedRequest(string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body);
