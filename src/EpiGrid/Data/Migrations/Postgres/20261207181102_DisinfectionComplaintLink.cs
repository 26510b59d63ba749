using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DisinfectionComplaintLink : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Records made before the link was checked may name a ticket that does not exist: keep their number, drop the link.
            migrationBuilder.Sql("""
                UPDATE "DisinfectionRecord" SET "ComplaintId" = NULL
                WHERE "ComplaintId" IS NOT NULL AND "ComplaintId" NOT IN (SELECT "Id" FROM "Complaint");
                """);
            migrationBuilder.AddForeignKey(
                name: "FK_DisinfectionRecord_Complaint_ComplaintId",
                table: "DisinfectionRecord",
                column: "ComplaintId",
                principalTable: "Complaint",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_DisinfectionRecord_Complaint_ComplaintId",
                table: "DisinfectionRecord");
        }
    }
}
