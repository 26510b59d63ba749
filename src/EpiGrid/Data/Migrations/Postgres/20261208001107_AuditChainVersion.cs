using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditChainVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The rows already there are of the keyed chain (or are rewritten into it right after the migrations): 2. Then the
            // default goes: an insert that does not name the column — a build from before the keyed chain — fails (ADR-019).
            // PostgreSQL: both steps change only the catalogue.
            migrationBuilder.AddColumn<int>(
                name: "ChainVersion",
                table: "AuditLog",
                type: "integer",
                nullable: false,
                defaultValue: 2);

            migrationBuilder.AlterColumn<int>(
                name: "ChainVersion",
                table: "AuditLog",
                type: "integer",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "integer",
                oldDefaultValue: 2);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ChainVersion",
                table: "AuditLog");
        }
    }
}
