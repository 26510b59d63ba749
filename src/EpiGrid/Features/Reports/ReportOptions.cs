namespace EpiGrid.Features.Reports;

/// <summary>Settings under <c>EpiGrid:Reports</c>.</summary>
public sealed class ReportOptions
{
    public const string Section = "EpiGrid:Reports";
    /// <summary>The daily report covers the 24 hours ending at this local time (default 15:00).</summary>
    public TimeOnly CutOff { get; set; } = new(15, 0);
    /// <summary>"累计" columns count from this local date: the start of the epidemic period.</summary>
    public DateOnly PeriodStart { get; set; } = new(2020, 1, 20);
    /// <summary>The report's title: {OfficeName}疫情防控日报.</summary>
    public string TitleSuffix { get; set; } = "疫情防控日报";
}
