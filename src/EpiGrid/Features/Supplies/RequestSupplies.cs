using EpiGrid.Data;
using EpiGrid.Features.Households;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Supplies;

/// <summary>
/// A supplies request for a quarantined household, by the grid worker (for a person of their scope) or by the household
/// itself through its link. The person must be under home observation or centralized quarantine, or under watch
/// (status Active) — the quarantine orders of P2 are not consulted here.
/// </summary>
public sealed class RequestSupplies(AppDbContext db, OfficeClock clock, IHttpContextAccessor http)
{
    public sealed record RequestInput(Guid? PersonId, Guid? HouseholdId, string[]? Items, string? Note, string? PreferredTime);
    public sealed record PublicInput(string[]? Items, string? Note, string? PreferredTime, bool? Consent);

    public const int MaxItems = 30;

    /// <summary>Things a household most often asks for, offered with one tap.</summary>
    public static readonly string[] CommonItems = ["大米", "面粉", "挂面", "食用油", "蔬菜", "鸡蛋", "肉", "牛奶", "方便面", "饮用水", "口罩", "体温计", "消毒液", "药品", "卫生纸", "垃圾袋"];

    /// <summary>Splits what people type (顿号, commas, new lines) into items.</summary>
    public static string[] Split(string? text) =>
        (text ?? "").Split(['、', ',', '，', ';', '；', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? ItemList(Errors errors, string[]? input)
    {
        var list = new List<string>();
        foreach (var raw in input ?? [])
        {
            foreach (var s in Split(raw))
            {
                var ok = errors.Text("items", s, 50);
                if (ok is null) return null;
                if (!list.Contains(ok)) list.Add(ok);
            }
        }
        if (list.Count == 0) { errors.Add("items", "请填写需要的物品"); return null; }
        if (list.Count > MaxItems) { errors.Add("items", $"物品不能超过 {MaxItems} 项"); return null; }
        var joined = string.Join(SupplyRequest.Separator, list);
        if (joined.Length > 500) { errors.Add("items", "物品合计不能超过 500 个字符"); return null; }
        return joined;
    }

    /// <summary>Whether a person may have supplies brought: quarantined at home or centrally, or under watch.</summary>
    public static async Task<bool> EligibleAsync(AppDbContext db, Person p, CancellationToken ct = default) =>
        p.Status == PersonStatus.Active || await db.Set<PersonCategoryRow>()
            .AnyAsync(c => c.PersonId == p.Id && (c.Category == PersonCategory.HomeObservation || c.Category == PersonCategory.CentralizedQuarantine), ct);

    /// <summary>Where to leave the things: the compound and the household's room, else the person's address.</summary>
    public static async Task<string> AddressAsync(AppDbContext db, Person p, Guid? householdId, CancellationToken ct = default)
    {
        var compound = await db.Areas.IgnoreQueryFilters().Where(a => a.Id == p.CompoundId).Select(a => a.Name).FirstOrDefaultAsync(ct) ?? "";
        if (householdId is { } h)
        {
            var hh = await db.Set<Household>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(x => x.Id == h, ct);
            if (hh is not null)
            {
                var building = hh.BuildingId is { } b ? await db.Areas.IgnoreQueryFilters().Where(a => a.Id == b).Select(a => a.Name).FirstOrDefaultAsync(ct) : null;
                return $"{compound} {Household.Label(building, hh.Unit, hh.Room)}".Trim();
            }
        }
        var address = p.Address.Length > 0 ? p.Address : compound;
        return address.Length > 300 ? address[..300] : address;
    }

    public async Task<SupplyRequest> RequestAsync(RequestInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        Person? person = null;
        if (errors.Required("personId", input.PersonId) is { } pid)
        {
            // Scoped: a person outside the caller's part of the tree does not exist for them.
            person = await db.Set<Person>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == pid, ct);
            if (person is null) errors.Add("personId", "人员不存在");
            else if (!await EligibleAsync(db, person, ct)) errors.Add("personId", "只能为居家观察、集中隔离或在管人员登记物资需求");
        }
        var householdId = input.HouseholdId ?? person?.HouseholdId;
        if (input.HouseholdId is { } h && person is not null
            && !await db.Set<Household>().AnyAsync(x => x.Id == h && x.CompoundId == person.CompoundId, ct))
        {
            errors.Add("householdId", "该户不存在或不在此人所在小区");
        }
        var items = ItemList(errors, input.Items);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        var preferred = errors.Text("preferredTime", input.PreferredTime, 50, required: false);
        errors.Throw();

        var r = new SupplyRequest
        {
            PersonId = person!.Id, HouseholdId = householdId, CompoundId = person.CompoundId, DeliveryAddress = await AddressAsync(db, person, householdId, ct),
            Items = items!, Note = note, PreferredTime = preferred, Source = SupplySource.Worker, RequestedAt = clock.UtcNow,
            RequestedById = http.HttpContext!.User.UserId(),
        };
        db.Add(r);
        await db.SaveChangesAsync(ct);
        return r;
    }

    /// <summary>The active link of a token (no scope: the token is the household's own key), or null.</summary>
    public Task<SupplyLink?> LinkAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 64) return Task.FromResult<SupplyLink?>(null);
        return db.Set<SupplyLink>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.Token == token && l.RevokedAt == null, ct);
    }

    /// <summary>The household asks through its own link; null when the link does not exist (any more) or the person is no longer eligible.</summary>
    public async Task<SupplyRequest?> RequestFromLinkAsync(string? token, PublicInput input, CancellationToken ct = default)
    {
        var link = await LinkAsync(token, ct);
        if (link is null) return null;
        var person = await db.Set<Person>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(p => p.Id == link.PersonId, ct);
        if (person is null || !await EligibleAsync(db, person, ct)) return null;
        var errors = new Errors();
        var items = ItemList(errors, input.Items);
        var note = errors.Text("note", input.Note, 500, required: false, multiline: true);
        var preferred = errors.Text("preferredTime", input.PreferredTime, 50, required: false);
        if (input.Consent != true) errors.Add("consent", "请阅读并同意个人信息收集说明");
        errors.Throw();

        var r = new SupplyRequest
        {
            PersonId = person.Id, HouseholdId = link.HouseholdId ?? person.HouseholdId, CompoundId = person.CompoundId,
            DeliveryAddress = await AddressAsync(db, person, link.HouseholdId ?? person.HouseholdId, ct),
            Items = items!, Note = note, PreferredTime = preferred, Source = SupplySource.Household, RequestedAt = clock.UtcNow,
        };
        db.Add(r);
        await db.SaveChangesAsync(ct);
        return r;
    }

    /// <summary>The person's active link, created on first use (one per person; the grid worker gives it to the family).</summary>
    public async Task<(SupplyLink Link, bool Created)?> ShareLinkAsync(Guid personId, CancellationToken ct = default)
    {
        var person = await db.Set<Person>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null) return null;
        var existing = await db.Set<SupplyLink>().AsNoTracking().FirstOrDefaultAsync(l => l.PersonId == personId && l.RevokedAt == null, ct);
        if (existing is not null) return (existing, false);
        if (!await EligibleAsync(db, person, ct)) new Errors().Add("personId", "只能为居家观察、集中隔离或在管人员生成申请链接").Throw();
        var link = new SupplyLink
        {
            Token = SupplyLink.NewToken(), PersonId = person.Id, HouseholdId = person.HouseholdId, CompoundId = person.CompoundId,
            CreatedAt = clock.UtcNow, CreatedById = http.HttpContext!.User.UserId(),
        };
        db.Add(link);
        await db.SaveChangesAsync(ct);
        return (link, true);
    }

    /// <summary>Stops a link (e.g. when the observation ends or the link was passed on); the next share makes a new one.</summary>
    public async Task<bool> RevokeLinkAsync(Guid personId, CancellationToken ct = default)
    {
        if (!await db.Set<Person>().AnyAsync(p => p.Id == personId, ct)) return false;
        var links = await db.Set<SupplyLink>().Where(l => l.PersonId == personId && l.RevokedAt == null).ToListAsync(ct);
        foreach (var l in links) l.RevokedAt = clock.UtcNow;
        await db.SaveChangesAsync(ct);
        return true;
    }
}
