using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ResidentMoveOut : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "MovedOutAt",
                table: "Resident",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DeregisteredAt",
                table: "Household",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "PurgedAt",
                table: "Household",
                type: "TEXT",
                nullable: true);

            // Residents marked moved out before the day was kept: retention counts from this migration.
            migrationBuilder.Sql("""
                UPDATE "Resident" SET "MovedOutAt" = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE "MovedOut" AND "MovedOutAt" IS NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MovedOutAt",
                table: "Resident");

            migrationBuilder.DropColumn(
                name: "DeregisteredAt",
                table: "Household");

            migrationBuilder.DropColumn(
                name: "PurgedAt",
                table: "Household");
        }
    }
}
