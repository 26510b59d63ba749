using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SupplyLinkTokenHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.RenameColumn(
                name: "Token",
                table: "SupplyLink",
                newName: "TokenHash");

            migrationBuilder.RenameIndex(
                name: "IX_SupplyLink_Token",
                table: "SupplyLink",
                newName: "IX_SupplyLink_TokenHash");

            migrationBuilder.AddColumn<Guid>(
                name: "LinkId",
                table: "SupplyRequest",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAt",
                table: "SupplyLink",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // The tokens stored in clear become their SHA-256 (what SupplyLink.Hash computes), so a link already given to a
            // household keeps working for the rest of its 7 days; no token stays in the table.
            migrationBuilder.Sql("""
                UPDATE "SupplyLink" SET "TokenHash" = encode(sha256(convert_to("TokenHash", 'UTF8')), 'hex'),
                    "ExpiresAt" = "CreatedAt" + interval '7 days';
                """);

            migrationBuilder.CreateIndex(
                name: "IX_SupplyRequest_LinkId_Status",
                table: "SupplyRequest",
                columns: new[] { "LinkId", "Status" });

            migrationBuilder.AddForeignKey(
                name: "FK_SupplyRequest_SupplyLink_LinkId",
                table: "SupplyRequest",
                column: "LinkId",
                principalTable: "SupplyLink",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The tokens cannot come back: the column holds hashes again named Token, which match no link's address.
            migrationBuilder.DropForeignKey(
                name: "FK_SupplyRequest_SupplyLink_LinkId",
                table: "SupplyRequest");

            migrationBuilder.DropIndex(
                name: "IX_SupplyRequest_LinkId_Status",
                table: "SupplyRequest");

            migrationBuilder.DropColumn(
                name: "LinkId",
                table: "SupplyRequest");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "SupplyLink");

            migrationBuilder.RenameColumn(
                name: "TokenHash",
                table: "SupplyLink",
                newName: "Token");

            migrationBuilder.RenameIndex(
                name: "IX_SupplyLink_TokenHash",
                table: "SupplyLink",
                newName: "IX_SupplyLink_Token");
        }
    }
}
