using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ImportsSpeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ImportRows_IdNumberHash",
                table: "ImportRows");

            migrationBuilder.DropIndex(
                name: "IX_ImportRows_IdNumberLast4",
                table: "ImportRows");

            migrationBuilder.DropIndex(
                name: "IX_ImportRows_PhoneHash",
                table: "ImportRows");

            migrationBuilder.DropIndex(
                name: "IX_ImportRows_PhoneLast4",
                table: "ImportRows");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_IdNumberHash",
                table: "ImportRows",
                column: "IdNumberHash");

            migrationBuilder.CreateIndex(
                name: "IX_ImportRows_IdNumberLast4",
                table: "ImportRows",
                column: "IdNumberLast4");

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
        }
    }
}
