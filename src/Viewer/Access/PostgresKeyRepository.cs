using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace GeoMine.Viewer.Access;

/// <summary>
/// ASP.NET Core Data Protection's key ring in PostgreSQL (table <c>data_protection_key</c>, host migration 0001): the keys
/// that protect session cookies and anti-forgery tokens are the same on every app node and survive restarts, so a
/// sign-in made through one node is valid on all. This is the framework's own extension point
/// (<see cref="IXmlRepository"/>); the key manager decides when keys are made and rolled, as it does with files.
/// </summary>
public sealed class PostgresKeyRepository(NpgsqlDataSource db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = db.CreateCommand("SELECT xml FROM data_protection_key ORDER BY id");
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
        {
            keys.Add(XElement.Parse(reader.GetString(0)));
        }

        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        // Two nodes creating their first key at the same moment both keep theirs: key ids differ, the names do not collide.
        using var command = db.CreateCommand(
            "INSERT INTO data_protection_key (friendly_name, xml) VALUES (@name, @xml) ON CONFLICT (friendly_name) DO NOTHING");
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
