using GeoMine.Geo;
using GeoMine.Patrol.Jobs;
using Quartz;

namespace GeoMine.Viewer.Scheduling;

/// <summary>
/// The scheduler, running every job of <see cref="JobCatalog"/>. Quartz keeps triggers in PostgreSQL (ADO job store,
/// tables provisioned by Quartz itself, System.Text.Json serializer) and runs clustered, so several
/// app nodes on one database fire each trigger exactly once and take over from a node that stops.
/// Misfires after downtime fire once on start (FireAndProceed): a server that was off still runs its checks.
/// </summary>
internal static class JobSchedules
{
    public static IServiceCollection AddGeoMineScheduler(
        this IServiceCollection services, SchedulerOptions options, string connectionString, Action<IQuartzBuilder>? extend = null)
    {
        if (!options.Enabled)
        {
            return services;
        }

        // Every start re-registers the schedules below, replacing the stored triggers (so a changed cron applies). Replaced
        // from now on, a trigger would forget the firings missed while every node was off; relative to the replaced
        // trigger it keeps them, they count as a misfire and fire once (FireAndProceed). Tested by MisfireAfterDowntimeTests.
        services.Configure<QuartzOptions>(o => o.Scheduling.ScheduleTriggerRelativeToReplacedTrigger = true);
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(s =>
            {
                s.InstanceName = "GeoMine";
                s.GenerateInstanceId = true;
                s.IdleWaitTime = options.IdleWaitTime;
                s.DefaultTimeZone = ChinaTimeZone;
            });
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseSystemTextJsonSerializer(_ => { });
                store.UseClustering(c =>
                {
                    c.Enabled = true;
                    c.CheckinInterval = options.ClusterCheckinInterval;
                });
                store.ProvisionSchema();
            });
            foreach (var job in JobCatalog.All)
            {
                Schedule(quartz, job.JobType, job.Name, job.Cron(options));
            }

            extend?.Invoke(quartz);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private static void Schedule(IQuartzBuilder quartz, Type jobType, string name, string cron)
    {
        quartz.AddJob(jobType, job => job.WithIdentity(name).StoreDurably());
        quartz.AddTrigger(trigger => trigger.ForJob(name).WithIdentity(name).WithCronSchedule(cron, c => c.InTimeZone(ChinaTimeZone)
            .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)));
    }

    private static TimeZoneInfo ChinaTimeZone { get; } = TimeZoneInfo.CreateCustomTimeZone("China Standard Time", ChinaTime.Offset, "China", "China");
}
