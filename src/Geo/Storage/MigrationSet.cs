using System.Reflection;

namespace GeoMine.Geo.Storage;

/// <summary>
/// The numbered <c>.sql</c> migrations a project embeds (files <c>Storage/Migrations/NNNN_name.sql</c>),
/// applied in order under the project's <paramref name="Module"/> name.
/// </summary>
/// <param name="Module">Name recorded with each applied version, e.g. <c>geo</c>, <c>patrol</c>.</param>
/// <param name="Assembly">Assembly holding the embedded scripts.</param>
public sealed record MigrationSet(string Module, Assembly Assembly)
{
    /// <summary>Geo's own migrations (reference data: jurisdictions, mines, shafts, rights, ponds…).</summary>
    public static MigrationSet Geo { get; } = new("geo", typeof(MigrationSet).Assembly);

    /// <summary>The scripts, ordered by version.</summary>
    public IReadOnlyList<Migration> Scripts()
    {
        const string marker = ".Storage.Migrations.";
        var scripts = new List<Migration>();
        foreach (var resource in Assembly.GetManifestResourceNames())
        {
            var at = resource.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0 || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var name = resource[(at + marker.Length)..^4];
            var underscore = name.IndexOf('_');
            if (underscore <= 0 || !int.TryParse(name[..underscore], out var version))
            {
                throw new InvalidOperationException($"migration {resource} is not named NNNN_description.sql");
            }

            using var stream = Assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            scripts.Add(new Migration(version, name, reader.ReadToEnd()));
        }

        var ordered = scripts.OrderBy(s => s.Version).ToList();
        var duplicate = ordered.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"module {Module} has two migrations numbered {duplicate.Key}");
        }

        return ordered;
    }

    /// <summary>One migration script.</summary>
    public sealed record Migration(int Version, string Name, string Sql);
}
