using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DailyReportsAndOutlines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Outline",
                table: "Areas",
                type: "TEXT",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DailyReport",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SubdistrictId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    FromUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ToUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ComputedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ReviewedBy = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReviewedByName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    ReviewedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SignedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    SignedByName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    SignedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Concurrency = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyReport", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DailyReport_Areas_SubdistrictId",
                        column: x => x.SubdistrictId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DailyReportLine",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ReportId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Seq = table.Column<int>(type: "INTEGER", nullable: false),
                    IsTotal = table.Column<bool>(type: "INTEGER", nullable: false),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AreaName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Figures = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Remark = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailyReportLine", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DailyReportLine_DailyReport_ReportId",
                        column: x => x.ReportId,
                        principalTable: "DailyReport",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ScreeningVisits_Report_VisitedAt",
                table: "ScreeningVisit",
                columns: new[] { "VisitedAt", "CompoundId", "HouseholdId", "Occupants" });

            migrationBuilder.CreateIndex(
                name: "IX_QuarantineOrders_Report_ClosedAt",
                table: "QuarantineOrder",
                column: "ClosedAt");

            migrationBuilder.CreateIndex(
                name: "IX_People_Report_CreatedAt",
                table: "People",
                columns: new[] { "CreatedAt", "CompoundId" });

            migrationBuilder.CreateIndex(
                name: "IX_People_Report_TransferredAt",
                table: "People",
                column: "TransferredAt");

            migrationBuilder.CreateIndex(
                name: "IX_GatePasses_Report_Fever",
                table: "GatePass",
                columns: new[] { "TakenAt", "CompoundId" },
                filter: "\"Fever\"");

            migrationBuilder.CreateIndex(
                name: "IX_Complaints_Report_ClosedAt",
                table: "Complaint",
                column: "ClosedAt");

            migrationBuilder.CreateIndex(
                name: "IX_DailyReport_SubdistrictId_Date_Version",
                table: "DailyReport",
                columns: new[] { "SubdistrictId", "Date", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DailyReportLine_ReportId_Seq",
                table: "DailyReportLine",
                columns: new[] { "ReportId", "Seq" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DailyReportLine");

            migrationBuilder.DropTable(
                name: "DailyReport");

            migrationBuilder.DropIndex(
                name: "IX_ScreeningVisits_Report_VisitedAt",
                table: "ScreeningVisit");

            migrationBuilder.DropIndex(
                name: "IX_QuarantineOrders_Report_ClosedAt",
                table: "QuarantineOrder");

            migrationBuilder.DropIndex(
                name: "IX_People_Report_CreatedAt",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_Report_TransferredAt",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_GatePasses_Report_Fever",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_Complaints_Report_ClosedAt",
                table: "Complaint");

            migrationBuilder.DropColumn(
                name: "Outline",
                table: "Areas");
        }
    }
}
