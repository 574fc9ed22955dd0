using GeoMine.Patrol.Devices;
using GeoMine.Patrol.Positions;
using GeoMine.TestSupport;
using Microsoft.Extensions.Options;

namespace GeoMine.Patrol.Tests.Positions;

/// <summary>Group commit of single fixes: requests arriving together share transactions (PostgreSQL's xmin shows how many),
/// each is answered with its own counts only after its commit, and a re-send in the same group rolls back nobody's rows.</summary>
public sealed class GroupCommitTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task ConcurrentSingleFixes_ShareCommits_AndAReSendRollsBackNobody()
    {
        var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var devices = new DeviceRegistry(source, TimeProvider.System);
        for (var d = 0; d < 100; d++)
        {
            await devices.AddAsync($"group-{d}", "patrol_phone");
        }

        var ingestor = new PositionIngestor(source, devices, new PositionPartitions(source), Options.Create(new PositionFilterOptions()), TimeProvider.System);
        var start = DateTime.UtcNow.AddMinutes(-30);
        PositionFix Fix(int device, int second) =>
            new($"group-{device}", start.AddSeconds(second), 105.90 + (device * 0.001), 29.35 + (second * 1e-5), null, 5, null, null, null, "osmand");
        await ingestor.IngestAsync([Fix(0, 0)]); // the month's partition, and the writers started

        // 200 new fixes (2 per device) and 20 re-sends of fixes among them, all at once, one fix per request.
        var requests = Enumerable.Range(0, 200).Select(i => Fix(i % 100, 10 + (i / 100)))
            .Concat(Enumerable.Range(0, 20).Select(i => Fix(i * 5, 10))).ToList();
        var results = await Task.WhenAll(requests.Select(f => Task.Run(() => ingestor.IngestAsync([f]))));

        Assert.Equal(200, results.Sum(r => r.Stored));
        Assert.Equal(20, results.Sum(r => r.Rejected.GetValueOrDefault(RejectionReason.Duplicate)));
        Assert.Equal(201, await db.ScalarAsync<long>("SELECT count(*) FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key LIKE 'group-%'"));
        Assert.Equal(20, await db.ScalarAsync<long>("SELECT coalesce(sum(count), 0)::bigint FROM position_rejection WHERE reason = 'duplicate'"));
        var transactions = await db.ScalarAsync<long>(
            "SELECT count(DISTINCT p.xmin::text) FROM position p JOIN device d ON d.id = p.device_id WHERE d.device_key LIKE 'group-%' AND p.fix_time > @t",
            ("t", start.AddSeconds(5)));
        Assert.True(transactions < 100, $"200 single-fix requests took {transactions} transactions: no commit was shared");
    }

    [Fact]
    public async Task NewDevicesArrivingTogether_AreRegisteredTogether_EachOnce()
    {
        var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var devices = new DeviceRegistry(source, TimeProvider.System);
        var ingestor = new PositionIngestor(source, devices, new PositionPartitions(source),
            Options.Create(new PositionFilterOptions { MaxNewUnknownDevicesPerAddressPerHour = 1000 }), TimeProvider.System);
        var start = DateTime.UtcNow.AddMinutes(-30);
        PositionFix Fix(string key, int second) => new(key, start.AddSeconds(second), 105.91, 29.36, null, 5, null, null, null, "osmand");
        await ingestor.IngestAsync([Fix("first-contact-warm", 0)]); // the month's partition, and the registration worker started

        // 150 keys never seen, each in two requests at once (a phone re-sending while its first request is in flight), from
        // a network sender whose allowance of new keys is not the limit.
        var keys = Enumerable.Range(0, 150).Select(i => $"first-contact-{i:000}").ToList();
        var results = await Task.WhenAll(keys.Concat(keys).Select((k, i) => Task.Run(() => ingestor.IngestAsync([Fix(k, 10 + (i / 150))], null, "192.0.2.7"))));

        Assert.Equal(300, results.Sum(r => r.Stored));
        Assert.Equal(150, await db.ScalarAsync<long>(
            "SELECT count(*) FROM device WHERE device_key LIKE 'first-contact-___' AND kind = 'unknown' AND NOT registered"));
        var transactions = await db.ScalarAsync<long>("SELECT count(DISTINCT xmin::text) FROM device WHERE device_key LIKE 'first-contact-___'");
        Assert.True(transactions < 75, $"150 new devices took {transactions} registering transactions: none was shared");
    }

    [Fact]
    public async Task AMonthsFirstFix_FindsItsPartitionMade_AndMakesTheNextMonths()
    {
        var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var partitions = new PositionPartitions(source);
        // Fixes of a month long past (the fixture's database has no partition for it yet) are dated before the filter's
        // minimum fix time, so the partitions are asked for directly, as the ingestor asks for them.
        await partitions.EnsureAsync([new DateTime(2019, 12, 31, 23, 0, 0, DateTimeKind.Utc)], CancellationToken.None);
        var made = await db.ScalarAsync<string>("""
            SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'position'::regclass AND c.relname IN ('position_y2019m12', 'position_y2020m01', 'position_y2020m02')
            """);
        Assert.Equal("position_y2019m12,position_y2020m01", made);

        // The first fix of January finds its partition there and makes February's: a month ahead, never at the moment of need.
        await partitions.EnsureAsync([new DateTime(2020, 1, 1, 0, 0, 1, DateTimeKind.Utc)], CancellationToken.None);
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'position_y2020m02'"));
    }

    [Fact]
    public async Task AfterARestart_KnownDevicesReportingAtOnce_AreLookedUpTogether_WithoutGrowingThePool()
    {
        await using (var setup = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString))
        {
            var registry = new DeviceRegistry(setup, TimeProvider.System);
            for (var d = 0; d < 150; d++)
            {
                await registry.AddAsync($"restart-{d:000}", "patrol_phone");
            }
        }

        // A node that has just started: an empty device cache and an empty connection pool (of its own data source).
        await using var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var ingestor = new PositionIngestor(source, new DeviceRegistry(source, TimeProvider.System), new PositionPartitions(source),
            Options.Create(new PositionFilterOptions()), TimeProvider.System);
        var start = DateTime.UtcNow.AddMinutes(-30);
        await ingestor.IngestAsync([new PositionFix("restart-000", start, 105.91, 29.36, null, 5, null, null, null, "osmand")]);
        const string Sessions = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'";
        var before = await db.ScalarAsync<long>(Sessions);

        var results = await Task.WhenAll(Enumerable.Range(0, 150).Select(d => Task.Run(() => ingestor.IngestAsync(
            [new PositionFix($"restart-{d:000}", start.AddSeconds(10), 105.91, 29.36, null, 5, null, null, null, "osmand")]))));

        Assert.Equal(150, results.Sum(r => r.Stored));
        // Each request alone would take a session for its lookup (up to the pool's 100): PostgreSQL would start a process per
        // session, each loading PostGIS, just when the load is highest. Looked up together, a handful of sessions serve them.
        var grown = await db.ScalarAsync<long>(Sessions) - before;
        Assert.True(grown <= 10, $"150 requests of known devices after a restart opened {grown} new PostgreSQL sessions");
    }

    [Fact]
    public async Task RefusalsCountedByConcurrentCommits_InEitherOrder_NeverDeadlock()
    {
        var source = GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString);
        var devices = new DeviceRegistry(source, TimeProvider.System);
        foreach (var key in new[] { "refused-a", "refused-b" }.Concat(Enumerable.Range(0, 40).Select(i => $"refused-ok-{i}")))
        {
            await devices.AddAsync(key, "patrol_phone");
        }

        var ingestor = new PositionIngestor(source, devices, new PositionPartitions(source), Options.Create(new PositionFilterOptions()), TimeProvider.System);
        var start = DateTime.UtcNow.AddMinutes(-50);
        PositionFix Fix(string key, int second, double accuracy) => new(key, start.AddSeconds(second), 105.91, 29.36, null, accuracy, null, null, null, "osmand");

        // Each request: a refused fix (accuracy 5 km) of device a and one of b — a first in half of them, b first in the
        // others — and fixes of its own device that are stored; as small requests (group commit) and as batches (COPY), all
        // at once. Each commit counts its refusals in rows (day, reason, device) that the others count too.
        var requests = Enumerable.Range(0, 240).Select(i =>
        {
            var (first, second) = i % 2 == 0 ? ("refused-a", "refused-b") : ("refused-b", "refused-a");
            var own = Enumerable.Range(0, i % 3 == 0 ? 40 : 1).Select(n => Fix($"refused-ok-{i % 40}", 100 + (i * 50) + n, 5));
            return (IReadOnlyList<PositionFix>)[Fix(first, i * 2, 5000), Fix(second, (i * 2) + 1, 5000), .. own];
        }).ToList();
        var results = await Task.WhenAll(requests.Select(r => Task.Run(() => ingestor.IngestAsync(r))));

        Assert.Equal(480, results.Sum(r => r.Rejected.GetValueOrDefault(RejectionReason.PoorAccuracy)));
        Assert.Equal(480L, await db.ScalarAsync<long>(
            "SELECT coalesce(sum(count), 0)::bigint FROM position_rejection WHERE reason = 'poor_accuracy' AND device_key IN ('refused-a', 'refused-b')"));
    }
}
