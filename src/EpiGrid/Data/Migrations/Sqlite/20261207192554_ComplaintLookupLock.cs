using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ComplaintLookupLock : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "LookupFailures",
                table: "Complaint",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LookupLockedUntil",
                table: "Complaint",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LookupFailures",
                table: "Complaint");

            migrationBuilder.DropColumn(
                name: "LookupLockedUntil",
                table: "Complaint");
        }
    }
}
