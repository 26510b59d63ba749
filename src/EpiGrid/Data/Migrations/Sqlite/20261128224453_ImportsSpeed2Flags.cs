using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImportsSpeed2Flags : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The category insert trigger leaves a person whose bit is already set alone (raw SQL, see PersonCategoryFlags).
            migrationBuilder.Sql(EpiGrid.Features.People.PersonCategoryFlags.GuardInsert(postgres: false));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(EpiGrid.Features.People.PersonCategoryFlags.UnguardInsert(postgres: false));
        }
    }
}
