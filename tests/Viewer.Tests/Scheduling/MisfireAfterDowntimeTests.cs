using System.Collections.Concurrent;
using GeoMine.Patrol.Jobs;
using GeoMine.Patrol.Responsibility;
using GeoMine.TestSupport;
using GeoMine.Viewer.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Quartz;
using Quartz.Extensibility;

namespace GeoMine.Viewer.Tests.Scheduling;

/// <summary>A server that was off while the hourly overdue check should have run three times still flags the overdue
/// shaft when it comes back: the missed firings run once on start (misfire instruction FireAndProceed), not three times,
/// and the schedule then proceeds from now.</summary>
public sealed class MisfireAfterDowntimeTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private static readonly JobKey Overdue = new(PatrolOverdueJob.Name);

    [Fact]
    public async Task NodeStartingAfterThreeMissedHourlyFirings_RunsTheOverdueCheckOnceAndFlagsTheShaft()
    {
        var now = DateTime.UtcNow;
        await new ResponsibilityService(GeoMine.Geo.Storage.GeoDataSource.Create(county.Db.ConnectionString)).AssignAsync(
            ResponsibleObject.Shaft("YC-CM-001-J2"), ResponsibilityRole.ResponsiblePerson, new ContactPerson("冯刚", null), now.AddDays(-30));
        var fired = new ConcurrentBag<DateTimeOffset>();

        // The first run of the cluster stores the hourly trigger; then every node is off.
        var first = await StartNodeAsync(new ConcurrentBag<DateTimeOffset>());
        await first.StopAsync();
        first.Dispose();
        // What a node schedules is the job catalog, each job with its trigger (the list geomine jobs shows).
        Assert.Equal(GeoMine.Viewer.Scheduling.JobCatalog.All.Select(j => j.Name).Order(StringComparer.Ordinal),
            await county.Db.ScalarAsync<string[]>("SELECT array_agg(t.trigger_name ORDER BY t.trigger_name COLLATE \"C\") FROM qrtz_triggers t JOIN qrtz_job_details j USING (sched_name, job_name, job_group)"));

        // Three hours of downtime in the job store: the trigger is left as a cluster running since yesterday leaves it
        // when its last node went down 3 h ago (started a day ago, last fired 4 h ago, next fire 3 h ago; Quartz keeps
        // times as UTC ticks). Waiting hours is not a test, and a seconds-long cron only tests late firings within
        // the misfire threshold (60 s), which Quartz fires one by one — not the downtime case.
        var missed = new DateTimeOffset(now.AddHours(-3), TimeSpan.Zero);
        await using (var connection = await county.Db.OpenAsync())
        await using (var rewind = new NpgsqlCommand(
            "UPDATE qrtz_triggers SET start_time = @s, prev_fire_time = @p, next_fire_time = @t WHERE trigger_name = @name", connection))
        {
            rewind.Parameters.AddWithValue("s", missed.AddDays(-1).UtcTicks);
            rewind.Parameters.AddWithValue("t", missed.UtcTicks);
            rewind.Parameters.AddWithValue("p", missed.AddHours(-1).UtcTicks);
            rewind.Parameters.AddWithValue("name", PatrolOverdueJob.Name);
            Assert.Equal(1, await rewind.ExecuteNonQueryAsync());
        }

        var second = await StartNodeAsync(fired);
        var until = DateTime.UtcNow.AddSeconds(15);
        while (fired.IsEmpty && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(3)); // room for any catch-up firings to show
        await second.StopAsync();
        second.Dispose();

        Assert.Single(fired);
        Assert.Equal(1L, await county.Db.ScalarAsync<long>("""
            SELECT count(*) FROM alarm a JOIN sealed_shaft s ON s.id = a.object_id
            WHERE a.kind = 'patrol_overdue' AND a.object_kind = 'sealed_shaft' AND s.code = 'YC-CM-001-J2' AND a.ended_at IS NULL
            """));
        var next = new DateTimeOffset(await county.Db.ScalarAsync<long>(
            "SELECT next_fire_time FROM qrtz_triggers WHERE trigger_name = @name", ("name", PatrolOverdueJob.Name)), TimeSpan.Zero);
        Assert.InRange(next, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)); // proceeds hourly from now
    }

    private async Task<IHost> StartNodeAsync(ConcurrentBag<DateTimeOffset> fired)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Scheduler:IdleWaitTime"] = "00:00:01",
            ["Scheduler:ClusterCheckinInterval"] = "00:00:01",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddGeoMine(builder.Configuration, county.Db.ConnectionString,
            quartz => quartz.AddJobListener(new RecordingListener(fired), [Matchers.Key(Overdue)]));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private sealed class RecordingListener(ConcurrentBag<DateTimeOffset> fired) : IJobListener
    {
        public string Name => "recording-overdue";

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken)
        {
            Assert.Null(jobException);
            fired.Add(context.ScheduledFireTimeUtc ?? context.FireTimeUtc);
            return ValueTask.CompletedTask;
        }

        public ValueTask JobProgressChanged(IJobExecutionContext context, FireInstanceProgress progress, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
