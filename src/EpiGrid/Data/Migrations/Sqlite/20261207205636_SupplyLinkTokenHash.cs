using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Sqlite
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
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAt",
                table: "SupplyLink",
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // The links stored in clear are revoked and their token overwritten, as on PostgreSQL: their tokens were copied
            // into the audit log when they were made. The grid worker makes a new one (重新生成链接); no token stays in the table.
            migrationBuilder.Sql("""
                UPDATE "SupplyLink" SET "TokenHash" = 'revoked-' || "Id",
                    "RevokedAt" = COALESCE("RevokedAt", strftime('%Y-%m-%d %H:%M:%S', 'now')),
                    "ExpiresAt" = datetime("CreatedAt", '+7 days');
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
            // The older code looks a link up by its Token: a stored hash must not become one (anyone holding the hash, from a
            // backup or a log, would have a working link). Every link is revoked and its column overwritten; the grid worker
            // makes new ones.
            migrationBuilder.Sql("""
                UPDATE "SupplyLink" SET "Token" = 'revoked-' || "Id",
                    "RevokedAt" = COALESCE("RevokedAt", strftime('%Y-%m-%d %H:%M:%S', 'now'));
                """);
        }
    }
}
