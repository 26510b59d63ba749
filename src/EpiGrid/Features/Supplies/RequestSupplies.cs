using EpiGrid.Data;
using EpiGrid.Features.Households;
using EpiGrid.Features.People;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Supplies;

/// <summary>
/// A supplies request for a quarantined household, by the grid worker (for a person of their scope) or by the household
/// itself through its link. The person must be under home observation or centralized quarantine, or under watch
/// (status Active) — the quarantine orders of P2 are not consulted here.
/// </summary>
public sealed class RequestSupplies(AppDbContext db, OfficeClock clock, IHttpContextAccessor http, Microsoft.Extensions.Options.IOptions<SuppliesOptions> options)
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

    /// <summary>A link made now, with the token that is shown this once.</summary>
    public sealed record NewLink(SupplyLink Link, string Token);

    /// <summary>A link as the staff see it: when made, until when, and whether it still works — never its token.</summary>
    public sealed record LinkState(Guid Id, Guid PersonId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, SupplyLinkState State, DateTimeOffset? RevokedAt,
        int Requests, int OpenRequests);

    /// <summary>
    /// Links that still work at <paramref name="now"/>: not revoked, not past their expiry, and either not used yet or with a
    /// request made through them still open (a link serves one round of asking, however many requests the household adds to it).
    /// </summary>
    private IQueryable<SupplyLink> Working(IQueryable<SupplyLink> links, DateTime now) =>
        links.Where(l => l.RevokedAt == null && l.ExpiresAt > now
            && (!db.Set<SupplyRequest>().Any(r => r.LinkId == l.Id)
                || db.Set<SupplyRequest>().Any(r => r.LinkId == l.Id && (r.Status == SupplyStatus.Open || r.Status == SupplyStatus.Assigned))));

    /// <summary>The working link of a token (no scope: the token is the household's own key), or null — the same for an unknown, used, expired or revoked one.</summary>
    public Task<SupplyLink?> LinkAsync(string? token, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 64) return Task.FromResult<SupplyLink?>(null);
        var hash = SupplyLink.Hash(token);
        return Working(db.Set<SupplyLink>().IgnoreQueryFilters().AsNoTracking().Where(l => l.TokenHash == hash), clock.UtcNow).FirstOrDefaultAsync(ct);
    }

    /// <summary>The household asks through its own link; null when the link does not work (any more) or the person is no longer eligible.</summary>
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
            Items = items!, Note = note, PreferredTime = preferred, Source = SupplySource.Household, RequestedAt = clock.UtcNow, LinkId = link.Id,
        };
        db.Add(r);
        await db.SaveChangesAsync(ct);
        return r;
    }

    private async Task<Person?> EligiblePersonAsync(Guid personId, CancellationToken ct)
    {
        // Scoped: a person outside the caller's part of the tree does not exist for them.
        var person = await db.Set<Person>().AsNoTracking().FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is not null && !await EligibleAsync(db, person, ct)) new Errors().Add("personId", "只能为居家观察、集中隔离或在管人员生成申请链接").Throw();
        return person;
    }

    private NewLink Make(Person person)
    {
        var token = SupplyLink.NewToken();
        var now = clock.UtcNow;
        var link = new SupplyLink
        {
            TokenHash = SupplyLink.Hash(token), PersonId = person.Id, HouseholdId = person.HouseholdId, CompoundId = person.CompoundId,
            CreatedAt = now, ExpiresAt = now.AddDays(options.Value.LinkDays), CreatedById = http.HttpContext!.User.UserId(),
        };
        db.Add(link);
        return new NewLink(link, token);
    }

    /// <summary>
    /// A new link for the person (the grid worker gives it to the family); null when the person is not in scope. The token is
    /// in this answer only: while a link still works, making another is refused (409) — <see cref="RegenerateLinkAsync"/> replaces it.
    /// </summary>
    public async Task<NewLink?> ShareLinkAsync(Guid personId, CancellationToken ct = default)
    {
        if (await EligiblePersonAsync(personId, ct) is not { } person) return null;
        await using var tx = await LockPersonAsync(person, ct);
        if (await Working(db.Set<SupplyLink>().Where(l => l.PersonId == personId), clock.UtcNow).AnyAsync(ct))
        {
            throw new InvalidStepException("该住户已有有效的申请链接。链接只在生成时显示一次，无法再次查看；如需重新发给住户，请“重新生成链接”（旧链接随即停用）。");
        }
        var made = Make(person);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return made;
    }

    /// <summary>Revokes the person's links and makes a new one, in one save; null when the person is not in scope.</summary>
    public async Task<NewLink?> RegenerateLinkAsync(Guid personId, CancellationToken ct = default)
    {
        if (await EligiblePersonAsync(personId, ct) is not { } person) return null;
        await using var tx = await LockPersonAsync(person, ct);
        await RevokeWorkingAsync(personId, ct);
        var made = Make(person);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return made;
    }

    // One working link per person: making a link reads the person's links and writes one under the person's row lock
    // (MovePerson.StillInAsync: PostgreSQL's row lock, held to commit, on every node; SQLite's one writer), so a share and a
    // regenerate at the same moment run one after the other and the second sees the first's link.
    private async Task<Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction> LockPersonAsync(Person person, CancellationToken ct)
    {
        var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await MovePerson.StillInAsync(db, person.Id, person.CompoundId, ct);
            return tx;
        }
        catch
        {
            await tx.DisposeAsync();
            throw;
        }
    }

    /// <summary>The person's links, newest first (at most 20), with their state, and how many there are; null when the person is not in scope.</summary>
    public async Task<PageOf<LinkState>?> LinksAsync(Guid personId, CancellationToken ct = default)
    {
        if (!await db.Set<Person>().AnyAsync(p => p.Id == personId, ct)) return null;
        var total = await db.Set<SupplyLink>().CountAsync(l => l.PersonId == personId, ct);
        var rows = await db.Set<SupplyLink>().AsNoTracking().Where(l => l.PersonId == personId).OrderByDescending(l => l.CreatedAt).ThenByDescending(l => l.Id).Take(20)
            .Select(l => new
            {
                l.Id, l.CreatedAt, l.ExpiresAt, l.RevokedAt,
                Requests = db.Set<SupplyRequest>().Count(r => r.LinkId == l.Id),
                Open = db.Set<SupplyRequest>().Count(r => r.LinkId == l.Id && (r.Status == SupplyStatus.Open || r.Status == SupplyStatus.Assigned)),
            }).ToListAsync(ct);
        var now = clock.UtcNow;
        return new PageOf<LinkState>([.. rows.Select(l => new LinkState(l.Id, personId, clock.WithOffset(l.CreatedAt), clock.WithOffset(l.ExpiresAt),
            l.RevokedAt is not null ? SupplyLinkState.Revoked
            : l.Requests > 0 && l.Open == 0 ? SupplyLinkState.Used
            : l.ExpiresAt <= now ? SupplyLinkState.Expired
            : SupplyLinkState.Active,
            l.RevokedAt is { } r ? clock.WithOffset(r) : null, l.Requests, l.Open))], total);
    }

    // Only the link that still works is revoked: used and expired ones keep the state they ended in.
    private async Task RevokeWorkingAsync(Guid personId, CancellationToken ct)
    {
        var now = clock.UtcNow;
        foreach (var l in await Working(db.Set<SupplyLink>().Where(l => l.PersonId == personId), now).ToListAsync(ct)) l.RevokedAt = now;
    }

    /// <summary>Stops a link (e.g. when the observation ends or the link was passed on); the next share makes a new one.</summary>
    public async Task<bool> RevokeLinkAsync(Guid personId, CancellationToken ct = default)
    {
        if (!await db.Set<Person>().AnyAsync(p => p.Id == personId, ct)) return false;
        await RevokeWorkingAsync(personId, ct);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
