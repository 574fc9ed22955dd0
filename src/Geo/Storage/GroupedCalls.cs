using System.Threading.Channels;

namespace GeoMine.Geo.Storage;

/// <summary>
/// Concurrent calls served together: each caller submits one request and awaits its own result; a worker takes every
/// request queued when it is free (up to <c>maxGroup</c>) and serves them with one call of <c>serve</c> — one transaction,
/// one commit — so under load the groups grow by themselves and alone a request is served at once (no waiting for
/// company). When <c>serve</c> fails, every request of that group fails with its exception (none of it took effect:
/// <c>serve</c> must be all or nothing). <c>workers</c> groups are in flight at once (one committing while the next gathers).
/// </summary>
public sealed class GroupedCalls<TRequest, TResult>(
    Func<IReadOnlyList<TRequest>, Task<IReadOnlyList<TResult>>> serve, int workers, int maxGroup)
{
    private readonly Channel<(TRequest Request, TaskCompletionSource<TResult> Done)> _queue =
        Channel.CreateUnbounded<(TRequest, TaskCompletionSource<TResult>)>(new() { SingleReader = workers == 1, SingleWriter = false });

    private int _started;

    /// <summary>Queues <paramref name="request"/>; completes with its own result once its group was served.</summary>
    public Task<TResult> CallAsync(TRequest request)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite((request, done));
        if (Interlocked.CompareExchange(ref _started, 1, 0) == 0)
        {
            for (var i = 0; i < workers; i++)
            {
                _ = Task.Run(WorkAsync);
            }
        }

        return done.Task;
    }

    private async Task WorkAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            var requests = new List<TRequest>();
            var waiting = new List<TaskCompletionSource<TResult>>();
            while (requests.Count < maxGroup && reader.TryRead(out var item))
            {
                requests.Add(item.Request);
                waiting.Add(item.Done);
            }

            if (requests.Count == 0)
            {
                continue;
            }

            try
            {
                var results = await serve(requests);
                for (var i = 0; i < waiting.Count; i++)
                {
                    waiting[i].TrySetResult(results[i]);
                }
            }
            catch (Exception e)
            {
                foreach (var done in waiting)
                {
                    done.TrySetException(e);
                }
            }
        }
    }
}
