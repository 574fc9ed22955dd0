namespace GeoMine.Patrol.Responsibility;

/// <summary>The roles of dated responsibility (包保) that patrol obligations use; the database knows more.</summary>
public static class ResponsibilityRole
{
    /// <summary>包保领导: the leader a lapse is escalated to.</summary>
    public const string LeadLeader = "lead_leader";

    /// <summary>一对一责任人: the person who must patrol the shaft.</summary>
    public const string ResponsiblePerson = "responsible_person";

    /// <summary>村干部: the village cadre.</summary>
    public const string VillageCadre = "village_cadre";

    /// <summary>Every role the <c>assignment</c> table accepts, patrol team members included.</summary>
    public static readonly string[] All =
        [LeadLeader, ResponsiblePerson, VillageCadre, "government_leader", "regulator", "enterprise_principal", "patrol_member"];
}
