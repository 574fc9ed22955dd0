using GeoMine.Geo;
using GeoMine.Patrol.Records;

namespace GeoMine.Viewer.Records;

/// <summary>A patrol record as the API shows it: times in China time (ISO-8601 with +08:00), lon/lat CGCS2000 degrees,
/// distances metres. <c>corroboration</c> tells what, besides the filer's word, places the person at the shaft.</summary>
internal sealed record PatrolRecordView(
    long Id, string Shaft, string Mine, string? Town, string Person, string Kind, string RecordedAt, string ReceivedAt,
    double? Lon, double? Lat, double? AccuracyMetres, double? DistanceMetres, bool AtSite, bool CountsAsVisit,
    string Corroboration, bool Corroborated, string Seal, string? Remarks, string FiledBy, string? Device,
    IReadOnlyList<PatrolRecordPhotoView> Photos)
{
    public static PatrolRecordView Of(PatrolRecordSummary r) => new(
        r.Id, r.ShaftCode, r.MineCode, r.TownCode, r.PersonName, r.Kind, ChinaTime.Iso(r.RecordedAtUtc), ChinaTime.Iso(r.ReceivedAtUtc),
        r.Longitude, r.Latitude, r.AccuracyMetres, r.DistanceMetres is { } d ? Math.Round(d, 2) : null, r.AtSite, r.CountsAsVisit,
        r.Corroboration, r.Corroboration != "none", r.SealCondition, r.Remarks, r.FiledBy, r.DeviceKey,
        r.Photos.Select(p => new PatrolRecordPhotoView(p.Id, p.MediaType, p.SizeBytes, p.Sha256, $"/api/patrol-records/{r.Id}/photos/{p.Id}")).ToList());
}

/// <summary>A photo of a record: its media type, size in bytes, SHA-256 (hex) and where to fetch it.</summary>
internal sealed record PatrolRecordPhotoView(long Id, string MediaType, int SizeBytes, string Sha256, string Url);

/// <summary>A page of records, newest first.</summary>
internal sealed record PatrolRecordPage(int Limit, int Offset, IReadOnlyList<PatrolRecordView> Records);
