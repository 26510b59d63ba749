using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Gates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "GatePass",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<Guid>(type: "uuid", nullable: false),
                    GateId = table.Column<Guid>(type: "uuid", nullable: false),
                    CompoundId = table.Column<Guid>(type: "uuid", nullable: false),
                    Direction = table.Column<string>(type: "character varying(5)", maxLength: 5, nullable: false),
                    Temperature = table.Column<decimal>(type: "numeric(3,1)", precision: 3, scale: 1, nullable: false),
                    Fever = table.Column<bool>(type: "boolean", nullable: false),
                    Outcome = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    ApprovalReason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    TakenAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ByUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    ResidentId = table.Column<Guid>(type: "uuid", nullable: true),
                    PersonId = table.Column<Guid>(type: "uuid", nullable: true),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    Visitor = table.Column<bool>(type: "boolean", nullable: false),
                    VisitorIdNumberCipher = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    VisitorIdNumberHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    VisitorIdNumberLast4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    VisitorIdNumberMasked = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    VisitorPhoneCipher = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    VisitorPhoneHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    VisitorPhoneLast4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    VisitorPhoneMasked = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    VisitorFrom = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    VisitorTo = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Plate = table.Column<string>(type: "character varying(12)", maxLength: 12, nullable: true),
                    QuarantineBreach = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GatePass", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GatePass_Gates_GateId",
                        column: x => x.GateId,
                        principalTable: "Gates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_ClientId",
                table: "GatePass",
                column: "ClientId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_CompoundId_TakenAt",
                table: "GatePass",
                columns: new[] { "CompoundId", "TakenAt" });

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_GateId_TakenAt",
                table: "GatePass",
                columns: new[] { "GateId", "TakenAt" });

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "GatePass");
        }
    }
}
