using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ComplaintDuplicates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Calls",
                table: "Complaint",
                type: "integer",
                nullable: false,
                defaultValue: 1);

            migrationBuilder.AddColumn<DateTime>(
                name: "MergedAt",
                table: "Complaint",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "MergedIntoId",
                table: "Complaint",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_MergedIntoId",
                table: "Complaint",
                column: "MergedIntoId");

            migrationBuilder.AddForeignKey(
                name: "FK_Complaint_Complaint_MergedIntoId",
                table: "Complaint",
                column: "MergedIntoId",
                principalTable: "Complaint",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Complaint_Complaint_MergedIntoId",
                table: "Complaint");

            migrationBuilder.DropIndex(
                name: "IX_Complaint_MergedIntoId",
                table: "Complaint");

            migrationBuilder.DropColumn(
                name: "Calls",
                table: "Complaint");

            migrationBuilder.DropColumn(
                name: "MergedAt",
                table: "Complaint");

            migrationBuilder.DropColumn(
                name: "MergedIntoId",
                table: "Complaint");
        }
    }
}
