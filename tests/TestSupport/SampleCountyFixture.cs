using GeoMine.Geo.Import;
using Xunit;

namespace GeoMine.TestSupport;

/// <summary>A throw-away database holding the whole shipped demo county (data/shapefiles).</summary>
public sealed class SampleCountyFixture : IAsyncLifetime
{
    public PostgisFixture Db { get; } = new();

    public IReadOnlyList<ImportResult> Results { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Db.InitializeAsync();
        Results = await CountyDataSet.ImportAsync(Db.ConnectionString, TestPaths.SampleData);
    }

    public Task DisposeAsync() => Db.DisposeAsync();
}
