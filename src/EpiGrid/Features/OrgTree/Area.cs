using EpiGrid.Data;

namespace EpiGrid.Features.OrgTree;

public enum AreaKind { District, Subdistrict, Community, Village, Compound, Building }

/// <summary>
/// A node of the org tree: district → subdistrict → community/village → compound → building.
/// <see cref="Path"/> holds the ids from the root down to this node, so "under a node" is a prefix match.
/// </summary>
[ScopedBy(nameof(Id))]
public sealed class Area
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public AreaKind Kind { get; set; }
    public Guid? ParentId { get; set; }
    public string Path { get; set; } = "";
    public int Depth { get; set; }
    /// <summary>Compounds only: the grid the compound belongs to.</summary>
    public Guid? GridId { get; set; }
    /// <summary>Compounds only: under closed management (封闭管理), its gates show Closed.</summary>
    public bool ClosedManagement { get; set; }
    public string? Address { get; set; }
    public string? Note { get; set; }
    /// <summary>Compounds: the outline as a GeoJSON geometry (a Polygon), for the dashboard's map; approximate rectangles in the demo.</summary>
    public string? Outline { get; set; }

    public static string PathSegment(Guid id) => id.ToString("N") + "/";

    public static bool IsCommunityLevel(AreaKind k) => k is AreaKind.Community or AreaKind.Village;

    public static string KindName(AreaKind k) => k switch
    {
        AreaKind.District => "区县",
        AreaKind.Subdistrict => "街道",
        AreaKind.Community => "社区",
        AreaKind.Village => "村",
        AreaKind.Compound => "小区/院落",
        AreaKind.Building => "楼栋",
        _ => k.ToString(),
    };

    /// <summary>The kinds a child of a node of this kind may have.</summary>
    public static AreaKind[] ChildKinds(AreaKind? parent) => parent switch
    {
        null => [AreaKind.District, AreaKind.Subdistrict],
        AreaKind.District => [AreaKind.Subdistrict],
        AreaKind.Subdistrict => [AreaKind.Community, AreaKind.Village],
        AreaKind.Community or AreaKind.Village => [AreaKind.Compound],
        AreaKind.Compound => [AreaKind.Building],
        _ => [],
    };
}

public enum GateStatus { Open, Closed }

/// <summary>A compound's gate (卡口). Its status follows the compound's closed management.</summary>
[ScopedBy(nameof(CompoundId))]
public sealed class Gate
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public Guid CompoundId { get; set; }
    public bool IsActive { get; set; } = true;
    public string? Note { get; set; }
}

/// <summary>A grid (网格): compounds of one community under one grid worker.</summary>
[ScopedBy(nameof(CommunityId))]
public sealed class Grid
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public Guid CommunityId { get; set; }
    public Guid? WorkerId { get; set; }
}
