using EpiGrid.Data;
using EpiGrid.Features.Households;
using EpiGrid.Features.OrgTree;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Validation;
using EpiGrid.Platform.Web;
using Microsoft.EntityFrameworkCore;
using QRCoder;

namespace EpiGrid.Features.PassCards;

/// <summary>
/// Issues, revokes and lists households' pass cards (出入证), and sets a compound's outing limit. The page and the API
/// both call it. Issuing returns the token once (for the printout): only its hash is kept.
/// </summary>
public sealed class IssuePassCard(AppDbContext db, OfficeClock clock, IHttpContextAccessor http)
{
    public sealed record IssueInput(Guid? HouseholdId);
    public sealed record RevokeInput(string? Reason);
    public sealed record LimitInput(int? Days);
    public sealed record Issued(PassCard Card, string Token, string Compound, string Home, IReadOnlyList<string> Members)
    {
        public string QrText => PassCard.QrPrefix + Token;
    }
    public sealed record CardItem(Guid Id, Guid HouseholdId, Guid CompoundId, string Number, string Compound, string Home, DateTimeOffset IssuedAt,
        bool Revoked, DateTimeOffset? RevokedAt, string? RevokeReason, DateTimeOffset? LastUsedAt);

    private Guid? Me => http.HttpContext?.User.UserId() is { } u && u != Guid.Empty ? u : null;

    /// <summary>null when the household is not in the caller's scope (404).</summary>
    public async Task<Issued?> IssueAsync(IssueInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        var householdId = errors.Required("householdId", input.HouseholdId);
        errors.Throw();
        var h = await db.Set<Household>().AsNoTracking().FirstOrDefaultAsync(x => x.Id == householdId, ct);
        if (h is null) return null;
        var members = await db.Set<Resident>().AsNoTracking().Where(r => r.HouseholdId == h.Id && !r.MovedOut).OrderBy(r => r.Name).Select(r => r.Name).ToListAsync(ct);
        if (members.Count == 0) throw new InvalidStepException("本户还没有登记居民，请先添加居民再发放出入证");

        var now = clock.UtcNow;
        // Card numbers run across the office: a separate query past the scope filter (ADR-003), taken under a lock as the
        // complaint numbers are (FileComplaint): SQLite's transaction is BEGIN IMMEDIATE, PostgreSQL takes an advisory lock.
        // The unique index is the last guard: on a collision anyway, the attempt is repeated in a new transaction.
        var token = PassCard.NewToken();
        var card = new PassCard { HouseholdId = h.Id, CompoundId = h.CompoundId, TokenHash = PassCard.Hash(token), IssuedAt = now, IssuedBy = Me };
        db.Add(card);
        for (var attempt = 1; ; attempt++)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(72033)", ct);
            card.Number = (await db.Set<PassCard>().IgnoreQueryFilters().MaxAsync(c => (int?)c.Number, ct) ?? 0) + 1;
            // One card in force per household: a new card (lost, worn out) revokes the old ones — read under the same lock,
            // so that two cards issued for one household at the same moment leave only the later one in force.
            foreach (var old in await db.Set<PassCard>().Where(c => c.HouseholdId == h.Id && c.RevokedAt == null).ToListAsync(ct))
            {
                old.RevokedAt = now;
                old.RevokedBy = Me;
                old.RevokeReason = "补发新证，旧证作废";
            }
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                break;
            }
            catch (DbUpdateException e) when (attempt < 5 && DbErrors.IsUniqueViolation(e))
            {
                await tx.RollbackAsync(ct);
            }
        }
        var (compound, home) = await HomeAsync(h, ct);
        return new Issued(card, token, compound, home, members);
    }

    private async Task<(string Compound, string Home)> HomeAsync(Household h, CancellationToken ct)
    {
        var names = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => a.Id == h.CompoundId || a.Id == h.BuildingId)
            .Select(a => new { a.Id, a.Name }).ToListAsync(ct);
        var compound = names.FirstOrDefault(n => n.Id == h.CompoundId)?.Name ?? "";
        var building = names.FirstOrDefault(n => n.Id == h.BuildingId)?.Name;
        return (compound, Household.Label(building, h.Unit, h.Room));
    }

    /// <summary>false when the card is not in the caller's scope (404); revoking twice is harmless.</summary>
    public async Task<bool> RevokeAsync(Guid id, RevokeInput input, CancellationToken ct = default)
    {
        var errors = new Errors();
        var reason = errors.Text("reason", input.Reason, 100, required: false);
        errors.Throw();
        var card = await db.Set<PassCard>().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (card is null) return false;
        if (card.RevokedAt is null)
        {
            card.RevokedAt = clock.UtcNow;
            card.RevokedBy = Me;
            card.RevokeReason = reason ?? "注销";
            await db.SaveChangesAsync(ct);
        }
        return true;
    }

    public async Task<PageOf<CardItem>> ListAsync(Guid? householdId, Guid? compoundId, bool? revoked, int? page, int? pageSize, CancellationToken ct = default)
    {
        var q = db.Set<PassCard>().AsNoTracking();
        if (householdId is { } hid) q = q.Where(c => c.HouseholdId == hid);
        if (compoundId is { } cid) q = q.Where(c => c.CompoundId == cid);
        if (revoked is { } r) q = r ? q.Where(c => c.RevokedAt != null) : q.Where(c => c.RevokedAt == null);
        var result = await q.OrderByDescending(c => c.IssuedAt).PageAsync(page, pageSize, ct: ct);
        var households = result.Items.Select(c => c.HouseholdId).Distinct().ToList();
        var homes = await db.Set<Household>().IgnoreQueryFilters().AsNoTracking().Where(h => households.Contains(h.Id))
            .Select(h => new { h.Id, h.CompoundId, h.BuildingId, h.Unit, h.Room }).ToListAsync(ct);
        var areaIds = homes.SelectMany(h => new[] { (Guid?)h.CompoundId, h.BuildingId }).OfType<Guid>().Distinct().ToList();
        var areas = await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => areaIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        var cardIds = result.Items.Select(c => c.Id).ToList();
        var used = await db.Set<Gates.GatePass>().AsNoTracking().Where(p => p.PassCardId != null && cardIds.Contains(p.PassCardId.Value))
            .GroupBy(p => p.PassCardId).Select(g => new { Id = g.Key!.Value, Last = g.Max(p => p.TakenAt) }).ToDictionaryAsync(x => x.Id, x => x.Last, ct);
        return new PageOf<CardItem>([.. result.Items.Select(c =>
        {
            var h = homes.FirstOrDefault(x => x.Id == c.HouseholdId);
            var home = h is null ? "" : Household.Label(h.BuildingId is { } b ? areas.GetValueOrDefault(b) : null, h.Unit, h.Room);
            return new CardItem(c.Id, c.HouseholdId, c.CompoundId, PassCard.NumberText(c.Number), areas.GetValueOrDefault(c.CompoundId) ?? "", home,
                clock.WithOffset(c.IssuedAt), c.Revoked, c.RevokedAt is { } ra ? clock.WithOffset(ra) : null, c.RevokeReason,
                used.TryGetValue(c.Id, out var u) ? clock.WithOffset(u) : null);
        })], result.Total);
    }

    /// <summary>Sets (days 1–30) or lifts (null) a compound's outing limit; false when the compound is not in scope (404).</summary>
    public async Task<bool> SetOutingLimitAsync(Guid compoundId, LimitInput input, CancellationToken ct = default)
    {
        if (!await db.Areas.AnyAsync(a => a.Id == compoundId && a.Kind == AreaKind.Compound, ct)) return false;
        var errors = new Errors();
        if (input.Days is < 1 or > 30) errors.Add("days", "天数应在 1 到 30 之间（不限制请留空）");
        errors.Throw();
        var row = await db.Set<OutingLimit>().FirstOrDefaultAsync(l => l.CompoundId == compoundId, ct);
        if (input.Days is not { } days)
        {
            if (row is not null) db.Remove(row);
        }
        else
        {
            if (row is null) db.Add(row = new OutingLimit { CompoundId = compoundId });
            row.Days = days;
            row.SetAt = clock.UtcNow;
            row.SetBy = Me;
        }
        await db.SaveChangesAsync(ct);
        return true;
    }

    public static byte[] QrPng(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(10);
    }
}
