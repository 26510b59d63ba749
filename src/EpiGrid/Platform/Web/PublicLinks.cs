namespace EpiGrid.Platform.Web;

/// <summary>
/// Builds the absolute addresses handed to the public — the self-registration link and its QR code, a household's supplies
/// link — from <c>EpiGrid:PublicBaseUrl</c>, read at start, never from the request's Host header (which any client sets:
/// a forged Host would otherwise end up printed on a poster or in a QR code).
/// </summary>
public sealed class PublicLinks(string baseUrl)
{
    public const string Setting = "EpiGrid__PublicBaseUrl";

    /// <summary>The public address without a trailing slash, e.g. <c>https://xg.example.gov.cn</c>.</summary>
    public string BaseUrl { get; } = baseUrl;

    /// <summary>The absolute address of an app path (<c>/Public/Register/610303002008</c>).</summary>
    public string Url(string path) => BaseUrl + (path.StartsWith('/') ? path : "/" + path);

    /// <summary>Checks the setting: an absolute http(s) address with no query or fragment; the trailing slash removed.
    /// Null or blank → null (not set). Anything else → an error naming the setting.</summary>
    public static string? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Query.Length > 0 || uri.Fragment.Length > 0 || value.Contains('?') || value.Contains('#') || uri.UserInfo.Length > 0)
        {
            throw new InvalidOperationException(
                $"{Setting} 必须是完整的 http(s) 地址（如 https://xg.example.gov.cn），不含查询参数：\"{value}\"。" +
                $" {Setting} must be an absolute http(s) URL without query or fragment (https://xg.example.gov.cn): \"{value}\".");
        }
        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }
}
