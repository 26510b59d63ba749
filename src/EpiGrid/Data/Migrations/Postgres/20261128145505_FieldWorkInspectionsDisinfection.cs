using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class FieldWorkInspectionsDisinfection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DisinfectionPlan",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    AreaId = table.Column<Guid>(type: "uuid", nullable: false),
                    CommunityId = table.Column<Guid>(type: "uuid", nullable: false),
                    Places = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Agent = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    TimesPerDay = table.Column<int>(type: "integer", nullable: false),
                    EveryDays = table.Column<int>(type: "integer", nullable: false),
                    StartDate = table.Column<DateOnly>(type: "date", nullable: false),
                    EndDate = table.Column<DateOnly>(type: "date", nullable: true),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisinfectionPlan", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisinfectionPlan_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DisinfectionPlan_Areas_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Premises",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Licence = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    CompoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    IsActive = table.Column<bool>(type: "boolean", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Premises", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Premises_Areas_CompoundId",
                        column: x => x.CompoundId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DisinfectionRecord",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PlanId = table.Column<Guid>(type: "uuid", nullable: true),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Slot = table.Column<int>(type: "integer", nullable: true),
                    AreaId = table.Column<Guid>(type: "uuid", nullable: false),
                    Place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Agent = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DoneBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    DoneAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ComplaintId = table.Column<Guid>(type: "uuid", nullable: true),
                    ComplaintNumber = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    Note = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RecordedById = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DisinfectionRecord", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DisinfectionRecord_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DisinfectionRecord_AspNetUsers_RecordedById",
                        column: x => x.RecordedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DisinfectionRecord_DisinfectionPlan_PlanId",
                        column: x => x.PlanId,
                        principalTable: "DisinfectionPlan",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Inspection",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PremisesId = table.Column<Guid>(type: "uuid", nullable: false),
                    CompoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Inspectors = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    WildAnimals = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    FeverMedicineRegister = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    StaffMasks = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Disinfection = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Other = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OtherNote = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Findings = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Passed = table.Column<bool>(type: "boolean", nullable: false),
                    ReinspectionOfId = table.Column<Guid>(type: "uuid", nullable: true),
                    RecordedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RecordedById = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Inspection", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Inspection_AspNetUsers_RecordedById",
                        column: x => x.RecordedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Inspection_Premises_PremisesId",
                        column: x => x.PremisesId,
                        principalTable: "Premises",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "InspectionPhoto",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    InspectionId = table.Column<Guid>(type: "uuid", nullable: false),
                    CompoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    StoredName = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    ContentType = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    UploadedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UploadedById = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_InspectionPhoto", x => x.Id);
                    table.ForeignKey(
                        name: "FK_InspectionPhoto_Inspection_InspectionId",
                        column: x => x.InspectionId,
                        principalTable: "Inspection",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Rectification",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PremisesId = table.Column<Guid>(type: "uuid", nullable: false),
                    CompoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    InspectionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Requirement = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    Deadline = table.Column<DateOnly>(type: "date", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClosedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClosedByInspectionId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Rectification", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Rectification_Inspection_InspectionId",
                        column: x => x.InspectionId,
                        principalTable: "Inspection",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Rectification_Premises_PremisesId",
                        column: x => x.PremisesId,
                        principalTable: "Premises",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DisinfectionPlan_AreaId",
                table: "DisinfectionPlan",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_DisinfectionPlan_CommunityId_IsActive",
                table: "DisinfectionPlan",
                columns: new[] { "CommunityId", "IsActive" });

            migrationBuilder.CreateIndex(
                name: "IX_DisinfectionRecord_AreaId_Date",
                table: "DisinfectionRecord",
                columns: new[] { "AreaId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_DisinfectionRecord_ComplaintId",
                table: "DisinfectionRecord",
                column: "ComplaintId");

            migrationBuilder.CreateIndex(
                name: "IX_DisinfectionRecord_PlanId_Date_Slot",
                table: "DisinfectionRecord",
                columns: new[] { "PlanId", "Date", "Slot" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DisinfectionRecord_RecordedById",
                table: "DisinfectionRecord",
                column: "RecordedById");

            migrationBuilder.CreateIndex(
                name: "IX_Inspection_CompoundId_Date",
                table: "Inspection",
                columns: new[] { "CompoundId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_Inspection_PremisesId_Date",
                table: "Inspection",
                columns: new[] { "PremisesId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_Inspection_RecordedById",
                table: "Inspection",
                column: "RecordedById");

            migrationBuilder.CreateIndex(
                name: "IX_Inspection_ReinspectionOfId",
                table: "Inspection",
                column: "ReinspectionOfId");

            migrationBuilder.CreateIndex(
                name: "IX_InspectionPhoto_InspectionId",
                table: "InspectionPhoto",
                column: "InspectionId");

            migrationBuilder.CreateIndex(
                name: "IX_Premises_CompoundId_Name",
                table: "Premises",
                columns: new[] { "CompoundId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Rectification_InspectionId",
                table: "Rectification",
                column: "InspectionId");

            migrationBuilder.CreateIndex(
                name: "IX_Rectification_PremisesId",
                table: "Rectification",
                column: "PremisesId");

            migrationBuilder.CreateIndex(
                name: "IX_Rectification_Status_Deadline",
                table: "Rectification",
                columns: new[] { "Status", "Deadline" });

            migrationBuilder.AddForeignKey(
                name: "FK_Inspection_Rectification_ReinspectionOfId",
                table: "Inspection",
                column: "ReinspectionOfId",
                principalTable: "Rectification",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Inspection_Premises_PremisesId",
                table: "Inspection");

            migrationBuilder.DropForeignKey(
                name: "FK_Rectification_Premises_PremisesId",
                table: "Rectification");

            migrationBuilder.DropForeignKey(
                name: "FK_Inspection_Rectification_ReinspectionOfId",
                table: "Inspection");

            migrationBuilder.DropTable(
                name: "DisinfectionRecord");

            migrationBuilder.DropTable(
                name: "InspectionPhoto");

            migrationBuilder.DropTable(
                name: "DisinfectionPlan");

            migrationBuilder.DropTable(
                name: "Premises");

            migrationBuilder.DropTable(
                name: "Rectification");

            migrationBuilder.DropTable(
                name: "Inspection");
        }
    }
}
