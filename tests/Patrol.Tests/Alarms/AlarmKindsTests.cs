using System.Text.RegularExpressions;
using GeoMine.Patrol.Alarms;
using GeoMine.TestSupport;
using Npgsql;

namespace GeoMine.Patrol.Tests.Alarms;

/// <summary>One list of alarm kinds (<see cref="AlarmKinds"/>): nothing raises a kind outside it, and no other file spells a
/// kind's code — the page, the command line and the rules read the catalog.</summary>
public sealed class AlarmKindsTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task Raise_AKindNotInTheCatalog_RefusedAndNothingStored()
    {
        var store = new AlarmStore(GeoMine.Geo.Storage.GeoDataSource.Create(db.ConnectionString));
        await using var connection = await db.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        var condition = new AlarmCondition("made_up_kind", "orange", "mining_right", 1, null, "test", DateTime.UtcNow, DateTime.UtcNow, new System.Text.Json.Nodes.JsonObject());

        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.RaiseOrExtendAsync(condition, connection, transaction, CancellationToken.None));

        Assert.Contains("'made_up_kind' is not in AlarmKinds", e.Message);
        await transaction.RollbackAsync();
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM alarm WHERE kind = 'made_up_kind'"));
    }

    [Fact]
    public void Catalog_CodesUniqueAndEachLabelledAndDescribed()
    {
        Assert.Equal(AlarmKinds.All.Count, AlarmKinds.All.Select(k => k.Code).Distinct().Count());
        Assert.All(AlarmKinds.All, k =>
        {
            Assert.Matches("^[a-z][a-z_]+$", k.Code);
            Assert.False(string.IsNullOrWhiteSpace(k.Chinese + k.English + k.Description));
            Assert.Same(k, AlarmKinds.Find(k.Code));
        });
    }

    [Fact]
    public void Sources_SpellNoKindCodeOutsideTheCatalog()
    {
        var src = Path.Combine(TestPaths.Root, "src");
        var files = Directory.EnumerateFiles(src, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"wwwroot{Path.DirectorySeparatorChar}lib", StringComparison.Ordinal)
                        && !f.EndsWith("AlarmKinds.cs", StringComparison.Ordinal));
        var found = new List<string>();
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            found.AddRange(AlarmKinds.All.Where(k => Regex.IsMatch(text, $"[\"']{k.Code}[\"']")).Select(k => $"{Path.GetRelativePath(src, file)}: {k.Code}"));
        }

        Assert.Empty(found);
    }

    [Fact]
    public void Sources_OnlyTheAlarmStoreWritesAlarms()
    {
        var src = Path.Combine(TestPaths.Root, "src");
        var writes = new Regex(@"(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+alarm(_event)?\b", RegexOptions.IgnoreCase);
        var found = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.EndsWith($"{Path.DirectorySeparatorChar}AlarmStore.cs", StringComparison.Ordinal))
            .Where(f => writes.IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(src, f))
            .ToList();

        Assert.Empty(found);
    }
}
