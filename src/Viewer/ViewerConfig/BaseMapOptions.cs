namespace GeoMine.Viewer.ViewerConfig;

/// <summary>
/// The map page's base map (configuration section <c>Viewer:BaseMap</c>). None by default: the page works offline.
/// <c>Url</c> may contain <c>{key}</c>, replaced by <c>Key</c> (e.g. a Tianditu browser key, which the browser sends anyway).
/// </summary>
public sealed class BaseMapOptions
{
    /// <summary><c>xyz</c> (a <c>{z}/{x}/{y}</c> URL template) or <c>wmts</c> (KVP GetTile on the Web Mercator grid); empty: no base map.</summary>
    public string? Type { get; set; }

    /// <summary>Tile URL template (xyz) or the WMTS endpoint (wmts).</summary>
    public string? Url { get; set; }

    /// <summary>WMTS layer name (e.g. Tianditu <c>vec</c>).</summary>
    public string? Layer { get; set; }

    /// <summary>WMTS tile matrix set (e.g. Tianditu <c>w</c>); default <c>EPSG:3857</c>.</summary>
    public string? MatrixSet { get; set; }

    /// <summary>WMTS image format (e.g. Tianditu <c>tiles</c>); default <c>image/png</c>.</summary>
    public string? Format { get; set; }

    /// <summary>Shown on the map, as the provider requires (e.g. 审图号).</summary>
    public string? Attribution { get; set; }

    /// <summary>Replaces <c>{key}</c> in <see cref="Url"/>.</summary>
    public string? Key { get; set; }
}
