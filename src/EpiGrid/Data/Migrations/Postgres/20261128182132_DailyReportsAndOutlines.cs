using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Postgres
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
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DailyReport",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SubdistrictId = table.Column<Guid>(type: "uuid", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    FromUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ToUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ComputedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReviewedBy = table.Column<Guid>(type: "uuid", nullable: false),
                    ReviewedByName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    ReviewedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SignedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    SignedByName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    SignedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Concurrency = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ReportId = table.Column<Guid>(type: "uuid", nullable: false),
                    Seq = table.Column<int>(type: "integer", nullable: false),
                    IsTotal = table.Column<bool>(type: "boolean", nullable: false),
                    AreaId = table.Column<Guid>(type: "uuid", nullable: false),
                    AreaName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Code = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Figures = table.Column<string>(type: "character varying(400)", maxLength: 400, nullable: false),
                    Remark = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
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
