using EpiGrid.Platform;
using EpiGrid.Platform.Auth;
using EpiGrid.Platform.Privacy;
using EpiGrid.Platform.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EpiGrid.Features.Gates;

public static class GatesApi
{
    public sealed record PassResult(Guid Id, bool Fever, PassOutcome Outcome, bool QuarantineBreach);

    /// <summary>503 problem+json with Retry-After of 1–4 s (spread, so that phones refused together do not come back together;
    /// the gate page's offline queue retries a 5xx on the next pass and every 15 s).</summary>
    private static ProblemHttpResult Unavailable(HttpContext http, PassWriter.Outcome why)
    {
        var seconds = Random.Shared.Next(1, 5);
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (reason, title, detail) = why switch
        {
            PassWriter.Outcome.TimedOut => ("timeout", "卡口登记繁忙，本条可能已保存", $"请在 {seconds} 秒后用同一 clientId 重试：已保存的不会重复登记，返回同一条记录。"),
            PassWriter.Outcome.Stopping => ("stopping", "服务正在停止，本条未保存", $"请在 {seconds} 秒后用同一 clientId 重试。"),
            _ => ("queueFull", "卡口登记繁忙，本条未保存", $"请在 {seconds} 秒后用同一 clientId 重试。"),
        };
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: title,
            extensions: new Dictionary<string, object?> { ["reason"] = reason });
    }

    public static void MapGatesApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/gates/{gateId:guid}").WithTags("Gates");

        // The gate keeper's register: 201 once, 200 with the same id for the same clientId again; 503 when the writer is
        // overloaded (ADR-010, "Overload").
        g.MapPost("/passes", async Task<Results<Created<PassResult>, Ok<PassResult>, NotFound, ProblemHttpResult>> (Guid gateId, RecordPass.PassInput body, RecordPass record, HttpContext http) =>
        {
            // G2: a pass card must be in force and of the passer's household. Resolved only when a card is named: the common
            // pass makes no DbContext on the request (ADR-010).
            if (body.PassCardId is not null) await http.RequestServices.GetRequiredService<PassCards.GateCards>().CheckCardAsync(gateId, body);
            if (await record.RecordAsync(gateId, body) is not { } r) return TypedResults.NotFound();
            if (r.Pass is not { } pass) return Unavailable(http, r.Unavailable!.Value);
            var result = new PassResult(pass.Id, pass.Fever, pass.Outcome, pass.QuarantineBreach);
            return r.Created ? TypedResults.Created($"/api/gates/{gateId}/passes/{pass.Id}", result) : TypedResults.Ok(result);
        }).RequireAuthorization(Rights.GatePasses)
            .WithSummary("Registers one passer. 201 stored; 200 the same clientId stored before (same id); 503 problem+json with Retry-After when the writer is overloaded: reason queueFull (not stored) or stopping (not stored), or timeout (perhaps stored) — retry with the same clientId, it is stored once.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        g.MapGet("/residents", async Task<Results<Ok<List<GateRecords.ResidentHit>>, NotFound>> (Guid gateId, string? q, GateRecords records) =>
            await records.GateAsync(gateId) is { } gate ? TypedResults.Ok(await records.FindResidentsAsync(gate, q)) : TypedResults.NotFound())
            .RequireAuthorization(Rights.GatePasses);

        g.MapGet("/passes", async Task<Results<Ok<PageOf<GateRecords.PassItem>>, NotFound>> (Guid gateId, DateOnly? date, int? page, int? pageSize, GateRecords records, OfficeClock clock) =>
        {
            if (await records.GateAsync(gateId) is null) return TypedResults.NotFound();
            var errors = new EpiGrid.Platform.Validation.Errors();
            if (page is < 1) errors.Add("page", "页码从 1 开始");
            if (pageSize is < 1 or > Paging.MaxPageSize) errors.Add("pageSize", $"每页条数应在 1 到 {Paging.MaxPageSize} 之间");
            errors.Throw();
            var size = pageSize ?? 50;
            var p = page ?? 1;
            var (rows, total) = await records.PassesAsync(gateId, date ?? clock.Today, (p - 1) * size, size);
            return TypedResults.Ok(new PageOf<GateRecords.PassItem>([.. rows.Select(r => r.Pass)], total));
        }).RequireAuthorization(Rights.ReadPeople);

        g.MapGet("/passes/export.xlsx", async Task<Results<FileContentHttpResult, NotFound>> (Guid gateId, DateOnly? date, GateRecords records, OfficeClock clock, Exporter exporter) =>
        {
            if (await records.GateAsync(gateId) is not { } gate) return TypedResults.NotFound();
            var day = date ?? clock.Today;
            var (rows, _) = await records.PassesAsync(gateId, day, 0, 100_000);
            var bytes = await exporter.ExportAsync("卡口登记", ExportFilter.Of().App("", gate.Compound + gate.Name).App("", day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            [
                new ExportColumn<GateRecords.ExportRow>("时间", r => r.Pass.TakenAt.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture)),
                new("进/出", r => GatePass.DirectionName(r.Pass.Direction)),
                new("姓名", r => r.Pass.Name),
                new("身份", r => r.Pass.Visitor ? "访客" : "居民"),
                ExportColumn<GateRecords.ExportRow>.Protected("身份证号", ProtectedKind.IdNumber, r => r.Pass.IdNumberMasked ?? "", r => r.IdCipher ?? ""),
                ExportColumn<GateRecords.ExportRow>.Protected("电话", ProtectedKind.Phone, r => r.Pass.PhoneMasked ?? "", r => r.PhoneCipher ?? ""),
                new("来自", r => r.Pass.From),
                new("去往", r => r.Pass.To),
                new("体温", r => r.Pass.Temperature.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)),
                new("发热", r => r.Pass.Fever ? "是" : ""),
                new("结果", r => GatePass.OutcomeName(r.Pass.Outcome)),
                new("车牌", r => r.Pass.Plate),
                new("审批事由", r => r.Pass.ApprovalReason),
            ], rows);
            return TypedResults.File(bytes, Exporter.ContentType, $"卡口登记-{day:yyyyMMdd}.xlsx");
        }).RequireAuthorization(Rights.ReadPeople);

        app.MapGet("/api/gate-passes/counts", async (DateOnly? from, DateOnly? to, Guid? compoundId, GateRecords records, OfficeClock clock) =>
        {
            var errors = new EpiGrid.Platform.Validation.Errors();
            var f = from ?? clock.Today;
            var t = to ?? f;
            if (t < f) errors.Add("to", "结束日期不能早于开始日期");
            if (t.DayNumber - f.DayNumber > 366) errors.Add("to", "最多统计一年");
            errors.Throw();
            return TypedResults.Ok(await records.CountsAsync(f, t, compoundId));
        }).WithTags("Gates").RequireAuthorization(Rights.ReadOrgTree);
    }
}
