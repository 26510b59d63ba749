using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReportsSpeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_People_CompoundId_Status",
                table: "People");

            migrationBuilder.AddColumn<int>(
                name: "CategoryFlags",
                table: "People",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // The category bits are kept by triggers (filled here, before the indexes are built, for the people already stored): raw SQL, see PersonCategoryFlags.
            migrationBuilder.Sql(EpiGrid.Features.People.PersonCategoryFlags.Install(postgres: false));

            migrationBuilder.CreateIndex(
                name: "IX_People_CompoundId_Status_CategoryFlags",
                table: "People",
                columns: new[] { "CompoundId", "Status", "CategoryFlags" });

            migrationBuilder.CreateIndex(
                name: "IX_People_Report_Categories",
                table: "People",
                columns: new[] { "CompoundId", "CreatedAt", "CategoryFlags" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(EpiGrid.Features.People.PersonCategoryFlags.Uninstall(postgres: false));

            migrationBuilder.DropIndex(
                name: "IX_People_CompoundId_Status_CategoryFlags",
                table: "People");

            migrationBuilder.DropIndex(
                name: "IX_People_Report_Categories",
                table: "People");

            migrationBuilder.DropColumn(
                name: "CategoryFlags",
                table: "People");

            migrationBuilder.CreateIndex(
                name: "IX_People_CompoundId_Status",
                table: "People",
                columns: new[] { "CompoundId", "Status" });
        }
    }
}
