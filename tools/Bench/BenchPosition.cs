namespace GeoMine.Viewer.Bench;

/// <summary>One synthetic fix: device index, lon/lat degrees (EPSG:4490), height metres, accuracy metres.</summary>
internal readonly record struct BenchPosition(int Device, double Longitude, double Latitude, double HeightMetres, double AccuracyMetres);
