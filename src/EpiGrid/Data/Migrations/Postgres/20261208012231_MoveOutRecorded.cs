using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MoveOutRecorded : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "MovedOutRecordedAt",
                table: "Resident",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DeregisteredRecordedAt",
                table: "Household",
                type: "timestamp with time zone",
                nullable: true);

            // Existing rows: recorded as of the day they carry.
            migrationBuilder.Sql("UPDATE \"Resident\" SET \"MovedOutRecordedAt\" = \"MovedOutAt\" WHERE \"MovedOutAt\" IS NOT NULL;");
            migrationBuilder.Sql("UPDATE \"Household\" SET \"DeregisteredRecordedAt\" = \"DeregisteredAt\" WHERE \"DeregisteredAt\" IS NOT NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "MovedOutRecordedAt",
                table: "Resident");

            migrationBuilder.DropColumn(
                name: "DeregisteredRecordedAt",
                table: "Household");
        }
    }
}
