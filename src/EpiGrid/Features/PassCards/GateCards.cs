using EpiGrid.Data;
using EpiGrid.Features.Gates;
using EpiGrid.Features.Households;
using EpiGrid.Features.Observation;
using EpiGrid.Platform;
using EpiGrid.Platform.Validation;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.PassCards;

/// <summary>
/// The gate's side of pass cards: a scanned token finds its household (members masked, when the card was last used,
/// the outing-limit warning); a revoked card is refused. <see cref="CheckCardAsync"/> checks the card a pass names
/// before the pass is written.
/// </summary>
public sealed class GateCards(AppDbContext db, OfficeClock clock)
{
    public sealed record ScanInput(string? Token);
    public sealed record Member(Guid Id, string Name, string Relation, string? IdNumberMasked, string? PhoneMasked, bool UnderQuarantine);
    public sealed record LastOut(string Name, DateTimeOffset TakenAt);
    public sealed record CardHit(Guid CardId, string Number, string Home, IReadOnlyList<Member> Members, DateTimeOffset? LastUsedAt,
        int? OutingLimitDays, LastOut? LastOut, string? Warning);

    /// <summary>The card is revoked: the gate must refuse it (the API answers 409 problem+json saying so).</summary>
    private InvalidStepException Refused(PassCard card, DateTime revoked) =>
        new($"出入证 {PassCard.NumberText(card.Number)} 已于 {clock.Format(revoked)} 注销，不能通行");

    private sealed record GateRow(Guid Id, Guid CompoundId);

    private Task<GateRow?> GateAsync(Guid gateId, CancellationToken ct) =>
        db.Gates.AsNoTracking().Where(g => g.Id == gateId).Select(g => new GateRow(g.Id, g.CompoundId)).FirstOrDefaultAsync(ct);

    /// <summary>Reads the token (with or without the QR prefix); null when the gate is not the caller's or the token is no card of its compound (404).</summary>
    public async Task<CardHit?> ScanAsync(Guid gateId, ScanInput input, CancellationToken ct = default)
    {
        if (await GateAsync(gateId, ct) is not { } gate) return null;
        var errors = new Errors();
        var token = errors.Text("token", input.Token, 100);
        errors.Throw();
        if (token!.StartsWith(PassCard.QrPrefix, StringComparison.Ordinal)) token = token[PassCard.QrPrefix.Length..];
        var hash = PassCard.Hash(token);
        var card = await db.Set<PassCard>().AsNoTracking().FirstOrDefaultAsync(c => c.TokenHash == hash && c.CompoundId == gate.CompoundId, ct);
        if (card is null) return null;
        if (card.RevokedAt is { } revoked) throw Refused(card, revoked);

        var household = await db.Set<Household>().AsNoTracking().FirstAsync(h => h.Id == card.HouseholdId, ct);
        var building = household.BuildingId is { } b
            ? await db.Areas.IgnoreQueryFilters().AsNoTracking().Where(a => a.Id == b).Select(a => a.Name).FirstOrDefaultAsync(ct) : null;
        var residents = await db.Set<Resident>().AsNoTracking().Where(r => r.HouseholdId == card.HouseholdId && !r.MovedOut)
            .OrderBy(r => r.Name).ToListAsync(ct);
        var personIds = residents.Select(r => r.PersonId).OfType<Guid>().ToList();
        // Quarantine orders may sit in another scope: a separate query (ADR-003).
        var watched = await db.Set<QuarantineOrder>().IgnoreQueryFilters().AsNoTracking()
            .Where(o => personIds.Contains(o.PersonId) && o.Status == QuarantineStatus.Active).Select(o => o.PersonId).ToListAsync(ct);
        var members = residents.Select(r => new Member(r.Id, r.Name, r.Relation, r.IdNumberMasked, r.PhoneMasked,
            r.PersonId is { } p && watched.Contains(p))).ToList();

        var lastUsed = await db.Set<GatePass>().AsNoTracking().Where(p => p.PassCardId == card.Id)
            .OrderByDescending(p => p.TakenAt).Select(p => (DateTime?)p.TakenAt).FirstOrDefaultAsync(ct);
        var limit = await db.Set<OutingLimit>().AsNoTracking().Where(l => l.CompoundId == card.CompoundId).Select(l => (int?)l.Days).FirstOrDefaultAsync(ct);
        LastOut? lastOut = null;
        string? warning = null;
        if (limit is { } days)
        {
            var ids = residents.Select(r => (Guid?)r.Id).ToList();
            var since = clock.UtcNow.AddDays(-days);
            var last = await db.Set<GatePass>().AsNoTracking()
                .Where(p => p.Direction == PassDirection.Out && p.TakenAt > since && (p.PassCardId == card.Id || ids.Contains(p.ResidentId)))
                .OrderByDescending(p => p.TakenAt).Select(p => new { p.Name, p.TakenAt }).FirstOrDefaultAsync(ct);
            if (last is not null)
            {
                lastOut = new LastOut(last.Name, clock.WithOffset(last.TakenAt));
                warning = $"本小区每户每 {days} 天限一人外出：本户 {last.Name} 已于 {clock.Format(last.TakenAt)} 外出";
            }
        }
        return new CardHit(card.Id, PassCard.NumberText(card.Number), Household.Label(building, household.Unit, household.Room), members,
            lastUsed is { } lu ? clock.WithOffset(lu) : null, limit, lastOut, warning);
    }

    /// <summary>
    /// Checks the card a pass names (G2): a card of this gate's compound, in force, and the resident one of its
    /// household. Invalid: 400; revoked: 409. Does nothing when the pass names no card.
    /// </summary>
    public async Task CheckCardAsync(Guid gateId, RecordPass.PassInput input, CancellationToken ct = default)
    {
        if (input.PassCardId is not { } cardId) return;
        if (await GateAsync(gateId, ct) is not { } gate) return; // the pass itself answers 404
        var card = await db.Set<PassCard>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == cardId && c.CompoundId == gate.CompoundId, ct);
        var errors = new Errors();
        if (card is null) { errors.Add("passCardId", "本小区没有这张出入证"); errors.Throw(); }
        if (card!.RevokedAt is { } revoked) throw Refused(card, revoked);
        if (input.Visitor is not null) errors.Add("passCardId", "访客不能使用居民出入证");
        else if (input.PersonId is { } pid)
        {
            var member = await db.Set<Resident>().AsNoTracking().Where(r => r.Id == pid && r.HouseholdId == card.HouseholdId)
                .Select(r => new { r.MovedOut, r.MovedOutAt }).FirstOrDefaultAsync(ct);
            // A pass taken before the move-out (queued on the phone, uploaded later) is still theirs.
            var takenAt = input.TakenAt?.UtcDateTime ?? clock.UtcNow;
            if (member is null) errors.Add("personId", "所选居民不在这张出入证的户内");
            else if (member.MovedOut && (member.MovedOutAt is not { } left || left <= takenAt)) errors.Add("personId", "所选居民已迁出，不能再用本户出入证");
        }
        errors.Throw();
    }
}
