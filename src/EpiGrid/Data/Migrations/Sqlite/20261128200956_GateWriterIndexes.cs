using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class GateWriterIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_GatePass_PassCardId",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_PersonId",
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

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_PassCardId",
                table: "GatePass",
                column: "PassCardId",
                filter: "\"PassCardId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_PersonId",
                table: "GatePass",
                column: "PersonId",
                filter: "\"PersonId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_GatePass_PassCardId",
                table: "GatePass");

            migrationBuilder.DropIndex(
                name: "IX_GatePass_PersonId",
                table: "GatePass");

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_PassCardId",
                table: "GatePass",
                column: "PassCardId");

            migrationBuilder.CreateIndex(
                name: "IX_GatePass_PersonId",
                table: "GatePass",
                column: "PersonId");

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
        }
    }
}
