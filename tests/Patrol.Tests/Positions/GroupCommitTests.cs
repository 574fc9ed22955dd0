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
}
