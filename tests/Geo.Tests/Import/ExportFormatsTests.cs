using System.Globalization;
using System.IO.Compression;
using System.Text;
using GeoMine.Geo.Export;
using GeoMine.Geo.Import;
using GeoMine.Geo.Storage;
using GeoMine.TestSupport;

namespace GeoMine.Geo.Tests.Import;

/// <summary>The files officials exchange, checked with GDAL reading them back and with their bytes, against PostGIS.</summary>
public sealed class ExportFormatsTests(SampleCountyFixture county) : IClassFixture<SampleCountyFixture>
{
    private const string Shaft = "YC-CM-001-J1";

    private async Task<string> ExportAsync(string layer, string format, string encoding = "UTF-8")
    {
        var file = Path.Combine(TestPaths.NewOutputDirectory($"export-{format}"), layer + LayerExporter.Formats[format].Extension);
        await LayerExporter.ExportAsync(county.Db.ConnectionString, LayerCatalog.Get(layer), format, file, encoding: encoding);
        return file;
    }

    private static async Task<long> FeatureCountAsync(string file, string? layer = null)
    {
        var info = await ExternalCommand.RunCheckedAsync("ogrinfo", layer is null ? ["-ro", "-so", "-al", file] : ["-ro", "-so", file, layer]);
        return info.Split('\n').Where(l => l.StartsWith("Feature Count:", StringComparison.Ordinal))
            .Sum(l => long.Parse(l["Feature Count:".Length..].Trim(), CultureInfo.InvariantCulture));
    }

    /// <summary>Excel on Chinese Windows reads a CSV without a BOM as GBK: the file starts with the UTF-8 BOM, dates are ISO.</summary>
    [Fact]
    public async Task Csv_HasAUtf8Bom_AndIsoDates()
    {
        var file = await ExportAsync("shafts", "csv");
        var bytes = await File.ReadAllBytesAsync(file);
        var text = Encoding.UTF8.GetString(bytes);
        var sealedOn = await county.Db.ScalarAsync<string>(
            $"SELECT to_char(e.sealed_on, 'YYYY-MM-DD') FROM ({LayerCatalog.Get("shafts").ExportSql}) e WHERE e.code = '{Shaft}'");

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Contains(text.Split('\n'), line => line.Contains(Shaft, StringComparison.Ordinal) && line.Contains(sealedOn, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Xlsx_HasEveryFeatureWithLonLat()
    {
        var file = await ExportAsync("shafts", "xlsx");
        var csv = await ExternalCommand.RunCheckedAsync("ogr2ogr", ["-f", "CSV", "/vsistdout/", file]);
        var lon = await county.Db.ScalarAsync<double>($"SELECT round(ST_X(geom)::numeric, 7)::float8 FROM sealed_shaft WHERE code = '{Shaft}'");
        var lat = await county.Db.ScalarAsync<double>($"SELECT round(ST_Y(geom)::numeric, 7)::float8 FROM sealed_shaft WHERE code = '{Shaft}'");

        Assert.Equal(await county.Db.ScalarAsync<long>("SELECT count(*) FROM sealed_shaft"), await FeatureCountAsync(file));
        var header = csv.Split('\n')[0].Split(',');
        var row = csv.Split('\n').Single(l => l.StartsWith(Shaft + ",", StringComparison.Ordinal)).Split(',');
        Assert.Equal(lon, double.Parse(row[Array.IndexOf(header, "lon")], CultureInfo.InvariantCulture), 1e-7);
        Assert.Equal(lat, double.Parse(row[Array.IndexOf(header, "lat")], CultureInfo.InvariantCulture), 1e-7);
    }

    [Fact]
    public async Task Gpx_ShaftsAsWaypointsNamedByCode_AreasRefused()
    {
        var file = await ExportAsync("shafts", "gpx");
        var waypoints = await ExternalCommand.RunCheckedAsync("ogrinfo", ["-ro", "-al", "-q", file, "waypoints"]);

        Assert.Equal(await county.Db.ScalarAsync<long>("SELECT count(*) FROM sealed_shaft"), await FeatureCountAsync(file, "waypoints"));
        Assert.Contains($"name (String) = {Shaft}", waypoints, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ExportAsync("towns", "gpx"));
        Assert.Contains("GPX holds points", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kmz_IsAZipWithTheKmlOfEveryFeature()
    {
        var file = await ExportAsync("closed-mines", "kmz");

        using (var zip = ZipFile.OpenRead(file))
        {
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith(".kml", StringComparison.Ordinal));
        }

        Assert.Equal(await county.Db.ScalarAsync<long>("SELECT count(*) FROM closed_mine"), await FeatureCountAsync(file));
    }

    /// <summary>For old desktop GIS on Chinese Windows: the DBF holds GBK bytes and the .cpg names the code page, so GDAL
    /// (and QGIS, ArcGIS) read the Chinese names back.</summary>
    [Fact]
    public async Task ShapefileInGbk_HoldsGbkBytes_AndReadsBackThroughItsCpg()
    {
        var file = await ExportAsync("closed-mines", "shp", "GBK");
        var name = await county.Db.ScalarAsync<string>("SELECT name FROM closed_mine ORDER BY code LIMIT 1");
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding(936).GetBytes(name);
        var dbf = await File.ReadAllBytesAsync(Path.ChangeExtension(file, ".dbf"));
        var back = await ExternalCommand.RunCheckedAsync("ogrinfo", ["-ro", "-al", "-q", file]);

        Assert.True(File.Exists(Path.ChangeExtension(file, ".cpg")));
        Assert.True(dbf.AsSpan().IndexOf(gbk) >= 0, $"the GBK bytes of {name} are not in the .dbf");
        Assert.True(dbf.AsSpan().IndexOf(Encoding.UTF8.GetBytes(name)) < 0, "the .dbf holds UTF-8, not GBK");
        Assert.Contains(name, back, StringComparison.Ordinal);
    }

    /// <summary>QGIS reads a GeoPackage layer's geometry type from its column: typed, not the generic GEOMETRY.</summary>
    [Theory]
    [InlineData("shafts", "POINT")]
    [InlineData("towns", "MULTIPOLYGON")]
    [InlineData("tailings-flow-paths", "LINESTRING")]
    public async Task GeoPackage_HasATypedGeometryColumn(string layer, string type)
    {
        var file = await ExportAsync(layer, "gpkg");
        var declared = await ExternalCommand.RunCheckedAsync("ogrinfo",
            ["-ro", "-q", file, "-sql", "SELECT geometry_type_name FROM gpkg_geometry_columns", "-dialect", "sqlite"]);

        Assert.Contains($"geometry_type_name (String) = {type}", declared, StringComparison.Ordinal);
    }
}
