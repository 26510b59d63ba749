using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PassCardsAndKeeperPins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "PassCardId",
                table: "GatePass",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "KeeperPin",
                columns: table => new
                {
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PinHash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    FailedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    LockedUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SetAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeeperPin", x => x.UserId);
                    table.ForeignKey(
                        name: "FK_KeeperPin_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "OutingLimit",
                columns: table => new
                {
                    CompoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Days = table.Column<int>(type: "INTEGER", nullable: false),
                    SetAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SetBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OutingLimit", x => x.CompoundId);
                    table.ForeignKey(
                        name: "FK_OutingLimit_Areas_CompoundId",
                        column: x => x.CompoundId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PassCard",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    HouseholdId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CompoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    IssuedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RevokedBy = table.Column<Guid>(type: "TEXT", nullable: true),
                    RevokeReason = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PassCard", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PassCard_Household_HouseholdId",
                        column: x => x.HouseholdId,
                        principalTable: "Household",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_PassCardId",
                table: "GatePass",
                column: "PassCardId");

            migrationBuilder.CreateIndex(
                name: "IX_PassCard_HouseholdId_RevokedAt",
                table: "PassCard",
                columns: new[] { "HouseholdId", "RevokedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_PassCard_Number",
                table: "PassCard",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PassCard_TokenHash",
                table: "PassCard",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KeeperPin");

            migrationBuilder.DropTable(
                name: "OutingLimit");

            migrationBuilder.DropTable(
                name: "PassCard");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_PassCardId",
                table: "GatePass");

            migrationBuilder.DropColumn(
                name: "PassCardId",
                table: "GatePass");
        }
    }
}
