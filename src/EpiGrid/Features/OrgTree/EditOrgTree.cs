using EpiGrid.Data;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.OrgTree;

/// <summary>The admin's edits of the tree, its gates and grids — one validation for the pages and the API.</summary>
public sealed class EditOrgTree(AppDbContext db)
{
    public sealed record AreaInput(string? Code, string? Name, AreaKind? Kind, Guid? ParentId, string? Address, bool? ClosedManagement, Guid? GridId, string? Note);
    public sealed record GateInput(string? Name, Guid? CompoundId, bool? IsActive, string? Note);
    public sealed record GridInput(string? Code, string? Name, Guid? CommunityId, Guid? WorkerId, Guid[]? CompoundIds);

    public async Task<Area> CreateAreaAsync(AreaInput input)
    {
        var errors = new Errors();
        var code = errors.Text("code", input.Code, 20);
        var name = errors.Text("name", input.Name, 100);
        var kind = errors.Required("kind", input.Kind);
        var address = errors.Text("address", input.Address, 200, required: false);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        Area? parent = null;
        if (input.ParentId is { } pid)
        {
            parent = await db.Areas.FirstOrDefaultAsync(a => a.Id == pid);
            if (parent is null) errors.Add("parentId", "上级区域不存在");
        }
        if (code is not null && !code.All(char.IsAsciiDigit)) errors.Add("code", "区划代码只能是数字");
        else if (code is not null && await db.Areas.IgnoreQueryFilters().AnyAsync(a => a.Code == code)) errors.Add("code", "该区划代码已存在");
        if (kind is { } k && (parent is not null || input.ParentId is null) && !Area.ChildKinds(parent?.Kind).Contains(k))
        {
            errors.Add("kind", parent is null ? "顶级节点只能是区县或街道" : $"{Area.KindName(parent.Kind)}下不能建立{Area.KindName(k)}");
        }
        await CheckGridAsync(input.GridId, kind, errors);
        errors.Throw();

        var area = new Area
        {
            Code = code!, Name = name!, Kind = kind!.Value, ParentId = parent?.Id, Depth = parent is null ? 0 : parent.Depth + 1,
            Address = address, Note = note, ClosedManagement = input.ClosedManagement == true && kind == AreaKind.Compound,
            GridId = kind == AreaKind.Compound ? input.GridId : null,
        };
        area.Path = (parent?.Path ?? "") + Area.PathSegment(area.Id);
        db.Areas.Add(area);
        await db.SaveChangesAsync();
        return area;
    }

    /// <summary>Name, code, address, note, grid and closed management; a node does not move in the tree.</summary>
    public async Task<Area?> UpdateAreaAsync(Guid id, AreaInput input)
    {
        var area = await db.Areas.FirstOrDefaultAsync(a => a.Id == id);
        if (area is null) return null;
        var errors = new Errors();
        var code = errors.Text("code", input.Code, 20);
        var name = errors.Text("name", input.Name, 100);
        var address = errors.Text("address", input.Address, 200, required: false);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        if (code is not null && !code.All(char.IsAsciiDigit)) errors.Add("code", "区划代码只能是数字");
        else if (code is not null && await db.Areas.IgnoreQueryFilters().AnyAsync(a => a.Code == code && a.Id != id)) errors.Add("code", "该区划代码已存在");
        if (input.Kind is { } k && k != area.Kind) errors.Add("kind", "节点类型不能修改");
        if (input.ParentId is { } p && p != area.ParentId) errors.Add("parentId", "节点不能移动到其他上级");
        await CheckGridAsync(input.GridId, area.Kind, errors);
        errors.Throw();

        area.Code = code!;
        area.Name = name!;
        area.Address = address;
        area.Note = note;
        if (area.Kind == AreaKind.Compound)
        {
            area.GridId = input.GridId;
            area.ClosedManagement = input.ClosedManagement ?? area.ClosedManagement;
        }
        await db.SaveChangesAsync();
        return area;
    }

    private async Task CheckGridAsync(Guid? gridId, AreaKind? kind, Errors errors)
    {
        if (gridId is null) return;
        if (kind != AreaKind.Compound) errors.Add("gridId", "只有小区/院落属于网格");
        else if (!await db.Grids.AnyAsync(g => g.Id == gridId)) errors.Add("gridId", "网格不存在");
    }

    public async Task<Gate> CreateGateAsync(GateInput input)
    {
        var errors = new Errors();
        var gate = new Gate();
        await ApplyAsync(gate, input, errors);
        errors.Throw();
        db.Gates.Add(gate);
        await db.SaveChangesAsync();
        return gate;
    }

    public async Task<Gate?> UpdateGateAsync(Guid id, GateInput input)
    {
        var gate = await db.Gates.FirstOrDefaultAsync(g => g.Id == id);
        if (gate is null) return null;
        var errors = new Errors();
        await ApplyAsync(gate, input, errors);
        errors.Throw();
        await db.SaveChangesAsync();
        return gate;
    }

    private async Task ApplyAsync(Gate gate, GateInput input, Errors errors)
    {
        var name = errors.Text("name", input.Name, 100);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        var compoundId = errors.Required("compoundId", input.CompoundId);
        if (compoundId is { } c && !await db.Areas.AnyAsync(a => a.Id == c && a.Kind == AreaKind.Compound)) errors.Add("compoundId", "小区不存在");
        if (errors.Any) return;
        gate.Name = name!;
        gate.Note = note;
        gate.CompoundId = compoundId!.Value;
        gate.IsActive = input.IsActive ?? true;
    }

    public async Task<Grid> SaveGridAsync(Guid? id, GridInput input)
    {
        var grid = id is null ? new Grid() : await db.Grids.FirstOrDefaultAsync(g => g.Id == id) ?? throw new KeyNotFoundException();
        var errors = new Errors();
        var code = errors.Text("code", input.Code, 20);
        var name = errors.Text("name", input.Name, 100);
        var communityId = errors.Required("communityId", input.CommunityId);
        if (code is not null && !code.All(char.IsAsciiDigit)) errors.Add("code", "网格编码只能是数字");
        else if (code is not null && await db.Grids.IgnoreQueryFilters().AnyAsync(g => g.Code == code && g.Id != grid.Id)) errors.Add("code", "该网格编码已存在");
        if (communityId is { } cid && !await db.Areas.AnyAsync(a => a.Id == cid && (a.Kind == AreaKind.Community || a.Kind == AreaKind.Village)))
        {
            errors.Add("communityId", "社区/村不存在");
        }
        if (input.WorkerId is { } w && !await db.Users.AnyAsync(u => u.Id == w)) errors.Add("workerId", "网格员账号不存在");
        var compounds = (input.CompoundIds ?? []).Distinct().ToArray();
        if (compounds.Length > 0 && communityId is { } comm
            && await db.Areas.CountAsync(a => compounds.Contains(a.Id) && a.Kind == AreaKind.Compound && a.ParentId == comm) != compounds.Length)
        {
            errors.Add("compoundIds", "网格只能包含本社区/村的小区");
        }
        errors.Throw();

        grid.Code = code!;
        grid.Name = name!;
        grid.CommunityId = communityId!.Value;
        grid.WorkerId = input.WorkerId;
        if (id is null) db.Grids.Add(grid);
        if (input.CompoundIds is not null)
        {
            foreach (var a in await db.Areas.Where(a => a.GridId == grid.Id && !compounds.Contains(a.Id)).ToListAsync()) a.GridId = null;
            foreach (var a in await db.Areas.Where(a => compounds.Contains(a.Id)).ToListAsync()) a.GridId = grid.Id;
        }
        await db.SaveChangesAsync();
        return grid;
    }
}
