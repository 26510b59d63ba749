using EpiGrid.Data;
using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace EpiGrid.Features.Observation;

public static class ObservationApi
{
    public sealed record OrderItem(Guid Id, Guid PersonId, QuarantineKind Kind, DateTimeOffset StartsAt, DateTimeOffset LastExposureAt, DateTimeOffset EndsAt,
        QuarantineStatus Status, string? Site, string? ExtensionReason, DateTimeOffset? ClosedAt, string? ClosingNote);
    public sealed record CheckItem(Guid Id, Guid PersonId, decimal Temperature, Symptom[] Symptoms, CheckMethod Method, DateTimeOffset TakenAt,
        DateTimeOffset ReceivedAt, bool Fever, string? ClinicOutcome);

    public static OrderItem ToItem(QuarantineOrder o, OfficeClock c) => new(o.Id, o.PersonId, o.Kind, c.WithOffset(o.StartsAt), c.WithOffset(o.LastExposureAt),
        c.WithOffset(o.EndsAt), o.Status, o.Site, o.ExtensionReason, o.ClosedAt is { } x ? c.WithOffset(x) : null, o.ClosingNote);

    public static CheckItem ToItem(HealthCheck h, OfficeClock c) => new(h.Id, h.PersonId, h.Temperature, [.. h.SymptomList], h.Method,
        c.WithOffset(h.TakenAt), c.WithOffset(h.ReceivedAt), h.Fever, h.ClinicOutcome);

    public static void MapObservationApi(this IEndpointRouteBuilder app)
    {
        var people = app.MapGroup("/api/people").WithTags("Observation");

        people.MapPost("/{id:guid}/quarantines", async Task<Results<Created<OrderItem>, NotFound>> (Guid id, ObservePerson.OrderInput body, ObservePerson observe, OfficeClock clock) =>
            await observe.OrderAsync(id, body) is { } o ? TypedResults.Created($"/api/quarantines/{o.Id}", ToItem(o, clock)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        people.MapGet("/{id:guid}/quarantines", async Task<Results<Ok<List<OrderItem>>, NotFound>> (Guid id, AppDbContext db, OfficeClock clock) =>
        {
            if (!await db.Set<People.Person>().AnyAsync(p => p.Id == id)) return TypedResults.NotFound();
            var list = await db.Set<QuarantineOrder>().AsNoTracking().Where(o => o.PersonId == id).OrderByDescending(o => o.StartsAt).ToListAsync();
            return TypedResults.Ok(list.Select(o => ToItem(o, clock)).ToList());
        }).RequireAuthorization(Rights.ReadPeople);

        people.MapPost("/{id:guid}/health-checks", async Task<Results<Created<CheckItem>, NotFound>> (Guid id, ObservePerson.CheckInput body, ObservePerson observe, OfficeClock clock) =>
            await observe.CheckAsync(id, body) is { } h ? TypedResults.Created($"/api/health-checks/{h.Id}", ToItem(h, clock)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        people.MapGet("/{id:guid}/health-checks", async Task<Results<Ok<List<CheckItem>>, NotFound>> (Guid id, AppDbContext db, OfficeClock clock) =>
        {
            if (!await db.Set<People.Person>().AnyAsync(p => p.Id == id)) return TypedResults.NotFound();
            var list = await db.Set<HealthCheck>().AsNoTracking().Where(c => c.PersonId == id).OrderByDescending(c => c.TakenAt).Take(200).ToListAsync();
            return TypedResults.Ok(list.Select(c => ToItem(c, clock)).ToList());
        }).RequireAuthorization(Rights.ReadPeople);

        var q = app.MapGroup("/api/quarantines").WithTags("Observation");
        q.MapGet("/{id:guid}", async Task<Results<Ok<OrderItem>, NotFound>> (Guid id, AppDbContext db, OfficeClock clock) =>
            await db.Set<QuarantineOrder>().AsNoTracking().FirstOrDefaultAsync(o => o.Id == id) is { } o ? TypedResults.Ok(ToItem(o, clock)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.ReadPeople);
        q.MapPost("/{id:guid}/extend", async Task<Results<Ok<OrderItem>, NotFound>> (Guid id, ObservePerson.ExtendInput body, ObservePerson observe, OfficeClock clock) =>
            await observe.ExtendAsync(id, body) is { } o ? TypedResults.Ok(ToItem(o, clock)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);
        q.MapPost("/{id:guid}/close", async Task<Results<Ok<OrderItem>, NotFound>> (Guid id, ObservePerson.CloseInput body, ObservePerson observe, OfficeClock clock) =>
            await observe.CloseAsync(id, body) is { } o ? TypedResults.Ok(ToItem(o, clock)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.EditPeople);

        app.MapPost("/api/health-checks/{id:guid}/clinic", async Task<Results<Ok<CheckItem>, NotFound>> (Guid id, ObservePerson.ClinicInput body, ObservePerson observe, OfficeClock clock) =>
            await observe.ClinicAsync(id, body) is { } h ? TypedResults.Ok(ToItem(h, clock)) : TypedResults.NotFound())
            .WithTags("Observation").RequireAuthorization(Rights.EditPeople);
    }
}
