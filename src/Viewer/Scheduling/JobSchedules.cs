using GeoMine.Geo;
using GeoMine.Patrol.Jobs;
using Quartz;

namespace GeoMine.Viewer.Scheduling;

/// <summary>
/// Every schedule of the product, in one place. Quartz keeps triggers in PostgreSQL (ADO job store,
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
            Schedule<BoundaryCheckJob>(quartz, BoundaryCheckJob.Name, options.BoundaryCheckCron);
            Schedule<PatrolVisitJob>(quartz, PatrolVisitJob.Name, options.PatrolVisitsCron);
            Schedule<PatrolOverdueJob>(quartz, PatrolOverdueJob.Name, options.PatrolOverdueCron);
            Schedule<TailingsRulesJob>(quartz, TailingsRulesJob.Name, options.TailingsRulesCron);
            Schedule<AckEscalationJob>(quartz, AckEscalationJob.Name, options.AlarmEscalationCron);
            Schedule<MonitoringCheckJob>(quartz, MonitoringCheckJob.Name, options.MonitoringCheckCron);
            extend?.Invoke(quartz);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private static void Schedule<TJob>(IQuartzBuilder quartz, string name, string cron)
        where TJob : IJob =>
        quartz.ScheduleJob<TJob>(
            trigger => trigger.WithIdentity(name).WithCronSchedule(cron, c => c.InTimeZone(ChinaTimeZone)
                .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed)),
            job => job.WithIdentity(name).StoreDurably());

    private static TimeZoneInfo ChinaTimeZone { get; } = TimeZoneInfo.CreateCustomTimeZone("China Standard Time", ChinaTime.Offset, "China", "China");
}
