using GeoMine.TestSupport;

namespace GeoMine.Viewer.Tests.Monitoring;

/// <summary><c>geomine monitoring import</c> reads a CSV saved by Excel on Chinese Windows (GBK, no BOM) as it reads UTF-8.</summary>
public sealed class MonitoringCsvCliTests(PostgisFixture db) : IClassFixture<PostgisFixture>
{
    [Fact]
    public async Task Import_GbkCsvWithChineseHeader_DecodedAndSaidSo()
    {
        var path = Path.Combine(TestPaths.NewOutputDirectory("monitoring-gbk"), "readings.csv");
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        await File.WriteAllBytesAsync(path, System.Text.Encoding.GetEncoding(936).GetBytes(
            "尾矿库编码,监测点,监测项目,监测时间,监测值,单位\n不存在库,WL-1,water_level,2026-05-20 08:00:00,312.4,m\n"));

        var (code, output) = await CliProcess.RunAsync(["monitoring", "import", path], environment: new Dictionary<string, string> { ["GEOMINE_DB"] = db.ConnectionString });

        // The Chinese header was found (else: a missing column) and the value decoded (the pond named back in Chinese).
        Assert.Equal(2, code);
        Assert.Contains("read as GB18030", output);
        Assert.Contains("no tailings pond with code '不存在库'", output);
    }
}
