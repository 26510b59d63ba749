using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EpiGrid.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SeveralNodesAndIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Resident_IdNumberHash",
                table: "Resident");

            migrationBuilder.DropIndex(
                name: "IX_Resident_IdNumberLast4",
                table: "Resident");

            migrationBuilder.DropIndex(
                name: "IX_Resident_PhoneHash",
                table: "Resident");

            migrationBuilder.DropIndex(
                name: "IX_Resident_PhoneLast4",
                table: "Resident");

            migrationBuilder.DropIndex(
                name: "IX_People_PhoneHash",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_PhoneLast4",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_ImportRows_PhoneHash",
                table: "ImportRows");

            migrationBuilder.DropIndex(
                name: "IX_ImportRows_PhoneLast4",
                table: "ImportRows");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_VisitorIdNumberHash",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_VisitorIdNumberLast4",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_VisitorPhoneHash",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_VisitorPhoneLast4",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_DutyMember_PhoneHash",
                table: "DutyMember");

            migrationBuilder.DropIndex(
                name: "IX_DutyMember_PhoneLast4",
                table: "DutyMember");

            migrationBuilder.DropIndex(
                name: "IX_Complaint_ComplainantPhoneHash",
                table: "Complaint");

            migrationBuilder.DropIndex(
                name: "IX_Complaint_ComplainantPhoneLast4",
                table: "Complaint");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_PhoneHash",
                table: "AspNetUsers");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_PhoneLast4",
                table: "AspNetUsers");

            migrationBuilder.DropIndex(
                name: "IX_Alert_AreaId",
                table: "Alert");

            migrationBuilder.CreateTable(
                name: "JobLease",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Holder = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    LeaseUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastSlot = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobLease", x => x.Name);
                });

            migrationBuilder.CreateTable(
                name: "JobRun",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Node = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Slot = table.Column<long>(type: "bigint", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Failed = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_JobRun", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ProtectionKey",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    FriendlyName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Xml = table.Column<string>(type: "character varying(8000)", maxLength: 8000, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProtectionKey", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_AssigneeId_DueAt_CompoundId",
                table: "Tasks",
                columns: new[] { "AssigneeId", "DueAt", "CompoundId" });

            migrationBuilder.CreateIndex(
                name: "IX_Resident_IdNumberHash",
                table: "Resident",
                column: "IdNumberHash",
                filter: "\"IdNumberHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Resident_IdNumberLast4",
                table: "Resident",
                column: "IdNumberLast4",
                filter: "\"IdNumberLast4\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Resident_PhoneHash",
                table: "Resident",
                column: "PhoneHash",
                filter: "\"PhoneHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Resident_PhoneLast4",
                table: "Resident",
                column: "PhoneLast4",
                filter: "\"PhoneLast4\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_People_PhoneHash",
                table: "People",
                column: "PhoneHash",
                filter: "\"PhoneHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_People_PhoneLast4",
                table: "People",
                column: "PhoneLast4",
                filter: "\"PhoneLast4\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_PhoneHash",
                table: "ImportRows",
                column: "PhoneHash",
                filter: "\"PhoneHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_PhoneLast4",
                table: "ImportRows",
                column: "PhoneLast4",
                filter: "\"PhoneLast4\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_TakenAt",
                table: "GatePass",
                column: "TakenAt")
                .Annotation("Npgsql:IndexMethod", "brin")
                .Annotation("Npgsql:StorageParameter:pages_per_range", 32);

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_VisitorIdNumberHash",
                table: "GatePass",
                column: "VisitorIdNumberHash",
                filter: "\"VisitorIdNumberHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_VisitorIdNumberLast4",
                table: "GatePass",
                column: "VisitorIdNumberLast4",
                filter: "\"VisitorIdNumberLast4\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_VisitorPhoneHash",
                table: "GatePass",
                column: "VisitorPhoneHash",
                filter: "\"VisitorPhoneHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_VisitorPhoneLast4",
                table: "GatePass",
                column: "VisitorPhoneLast4",
                filter: "\"VisitorPhoneLast4\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_DutyMember_PhoneHash",
                table: "DutyMember",
                column: "PhoneHash",
                filter: "\"PhoneHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_DutyMember_PhoneLast4",
                table: "DutyMember",
                column: "PhoneLast4",
                filter: "\"PhoneLast4\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_ComplainantPhoneHash",
                table: "Complaint",
                column: "ComplainantPhoneHash",
                filter: "\"ComplainantPhoneHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_ComplainantPhoneLast4",
                table: "Complaint",
                column: "ComplainantPhoneLast4",
                filter: "\"ComplainantPhoneLast4\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_PhoneHash",
                table: "AspNetUsers",
                column: "PhoneHash",
                filter: "\"PhoneHash\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_PhoneLast4",
                table: "AspNetUsers",
                column: "PhoneLast4",
                filter: "\"PhoneLast4\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Alert_AreaId_CreatedAt",
                table: "Alert",
                columns: new[] { "AreaId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Alert_CreatedAt",
                table: "Alert",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_JobRun_Name_StartedAt",
                table: "JobRun",
                columns: new[] { "Name", "StartedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "JobLease");

            migrationBuilder.DropTable(
                name: "JobRun");

            migrationBuilder.DropTable(
                name: "ProtectionKey");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_AssigneeId_DueAt_CompoundId",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Resident_IdNumberHash",
                table: "Resident");

            migrationBuilder.DropIndex(
                name: "IX_Resident_IdNumberLast4",
                table: "Resident");

            migrationBuilder.DropIndex(
                name: "IX_Resident_PhoneHash",
                table: "Resident");

            migrationBuilder.DropIndex(
                name: "IX_Resident_PhoneLast4",
                table: "Resident");

            migrationBuilder.DropIndex(
                name: "IX_People_PhoneHash",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_PhoneLast4",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_ImportRows_PhoneHash",
                table: "ImportRows");

            migrationBuilder.DropIndex(
                name: "IX_ImportRows_PhoneLast4",
                table: "ImportRows");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_TakenAt",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_VisitorIdNumberHash",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_VisitorIdNumberLast4",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_VisitorPhoneHash",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_VisitorPhoneLast4",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_DutyMember_PhoneHash",
                table: "DutyMember");

            migrationBuilder.DropIndex(
                name: "IX_DutyMember_PhoneLast4",
                table: "DutyMember");

            migrationBuilder.DropIndex(
                name: "IX_Complaint_ComplainantPhoneHash",
                table: "Complaint");

            migrationBuilder.DropIndex(
                name: "IX_Complaint_ComplainantPhoneLast4",
                table: "Complaint");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_PhoneHash",
                table: "AspNetUsers");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_PhoneLast4",
                table: "AspNetUsers");

            migrationBuilder.DropIndex(
                name: "IX_Alert_AreaId_CreatedAt",
                table: "Alert");

            migrationBuilder.DropIndex(
                name: "IX_Alert_CreatedAt",
                table: "Alert");

            migrationBuilder.CreateIndex(
                name: "IX_Resident_IdNumberHash",
                table: "Resident",
                column: "IdNumberHash");

            migrationBuilder.CreateIndex(
                name: "IX_Resident_IdNumberLast4",
                table: "Resident",
                column: "IdNumberLast4");

            migrationBuilder.CreateIndex(
                name: "IX_Resident_PhoneHash",
                table: "Resident",
                column: "PhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_Resident_PhoneLast4",
                table: "Resident",
                column: "PhoneLast4");

            migrationBuilder.CreateIndex(
                name: "IX_People_PhoneHash",
                table: "People",
                column: "PhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_People_PhoneLast4",
                table: "People",
                column: "PhoneLast4");

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_PhoneHash",
                table: "ImportRows",
                column: "PhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_PhoneLast4",
                table: "ImportRows",
                column: "PhoneLast4");

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_VisitorIdNumberHash",
                table: "GatePass",
                column: "VisitorIdNumberHash");

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_VisitorIdNumberLast4",
                table: "GatePass",
                column: "VisitorIdNumberLast4");

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_VisitorPhoneHash",
                table: "GatePass",
                column: "VisitorPhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_VisitorPhoneLast4",
                table: "GatePass",
                column: "VisitorPhoneLast4");

            migrationBuilder.CreateIndex(
                name: "IX_DutyMember_PhoneHash",
                table: "DutyMember",
                column: "PhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_DutyMember_PhoneLast4",
                table: "DutyMember",
                column: "PhoneLast4");

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_ComplainantPhoneHash",
                table: "Complaint",
                column: "ComplainantPhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_ComplainantPhoneLast4",
                table: "Complaint",
                column: "ComplainantPhoneLast4");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_PhoneHash",
                table: "AspNetUsers",
                column: "PhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_PhoneLast4",
                table: "AspNetUsers",
                column: "PhoneLast4");

            migrationBuilder.CreateIndex(
                name: "IX_Alert_AreaId",
                table: "Alert",
                column: "AreaId");
        }
    }
}
