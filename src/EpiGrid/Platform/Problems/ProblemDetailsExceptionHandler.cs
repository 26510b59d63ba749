using System.Text.Json;
using EpiGrid.Platform.Validation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EpiGrid.Platform.Problems;

/// <summary>
/// The one place an exception on /api becomes a response: invalid input (unreadable JSON, wrong types, a
/// <see cref="ValidationFailedException"/>) is a 400 ProblemDetails; anything else a 500 ProblemDetails that
/// reveals nothing. Pages fall through to the error page.
/// </summary>
public sealed class ProblemDetailsExceptionHandler(ILogger<ProblemDetailsExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        // The middleware has already re-pointed the request at /Error; the original path says whether it was /api.
        var original = http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path;
        if (!IsApi(original)) return false;

        ProblemDetails problem;
        switch (exception)
        {
            case ValidationFailedException v:
                problem = new HttpValidationProblemDetails(v.Errors.ToDictionary()) { Status = 400, Title = "输入有误" };
                break;
            case InvalidStepException step:
                problem = new ProblemDetails { Status = 409, Title = "与当前状态冲突", Detail = step.Message };
                break;
            case BadHttpRequestException bad:
                problem = new HttpValidationProblemDetails(BadRequestErrors(bad)) { Status = bad.StatusCode, Title = "请求无效" };
                break;
            default:
                log.LogError(exception, "Unhandled exception on {Path}", http.Request.Path);
                problem = new ProblemDetails { Status = 500, Title = "服务器内部错误", Detail = "请稍后重试；如仍失败，请联系系统管理员。" };
                break;
        }
        http.Response.StatusCode = problem.Status ?? 500;
        problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier;
        // Written here rather than through IProblemDetailsService, which would drop the field errors.
        if (problem is HttpValidationProblemDetails v2)
        {
            await http.Response.WriteAsJsonAsync(v2, (JsonSerializerOptions?)null, "application/problem+json", ct);
        }
        else
        {
            await http.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json", ct);
        }
        return true;
    }

    public static bool IsApi(HttpRequest r) => IsApi(r.Path);

    public static bool IsApi(PathString p) => p.StartsWithSegments("/api") || p.StartsWithSegments("/hubs");

    private static Dictionary<string, string[]> BadRequestErrors(BadHttpRequestException bad)
    {
        // Name the field when the JSON reader says which one.
        if (bad.InnerException is JsonException json)
        {
            var field = string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "body" : json.Path.TrimStart('$', '.');
            return new() { [field] = ["格式或类型不正确"] };
        }
        return new() { ["body"] = [bad.StatusCode == 413 ? "请求体过大" : "请求体不是有效的 JSON，或缺少必需的内容"] };
    }
}
