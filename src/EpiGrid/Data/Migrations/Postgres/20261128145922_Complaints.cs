using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Complaints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CalendarDay",
                columns: table => new
                {
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarDay", x => x.Date);
                });

            migrationBuilder.CreateTable(
                name: "Complaint",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Number = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    NumberDate = table.Column<DateOnly>(type: "date", nullable: false),
                    NumberSeq = table.Column<int>(type: "integer", nullable: false),
                    Channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Category = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Urgency = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Content = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    ComplainantName = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    ComplainantPhoneCipher = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    ComplainantPhoneHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ComplainantPhoneLast4 = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: true),
                    ComplainantPhoneMasked = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: true),
                    AreaId = table.Column<Guid>(type: "uuid", nullable: false),
                    Address = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Concerning = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    UpstreamNumber = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    UpstreamDueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ReceivedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Round = table.Column<int>(type: "integer", nullable: false),
                    OverdueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    AcknowledgedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    AcknowledgedBy = table.Column<Guid>(type: "uuid", nullable: true),
                    HandlerId = table.Column<Guid>(type: "uuid", nullable: true),
                    ResponderId = table.Column<Guid>(type: "uuid", nullable: true),
                    DispatchedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Reply = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    RepliedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FollowedUpAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Satisfaction = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    ClosedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    EventCount = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Complaint", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Complaint_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Complaint_AspNetUsers_HandlerId",
                        column: x => x.HandlerId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Complaint_AspNetUsers_ResponderId",
                        column: x => x.ResponderId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ComplaintEvent",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ComplaintId = table.Column<Guid>(type: "uuid", nullable: false),
                    Seq = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ActorId = table.Column<Guid>(type: "uuid", nullable: true),
                    ActorName = table.Column<string>(type: "character varying(60)", maxLength: 60, nullable: false),
                    ActionKind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Satisfaction = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    HandlerId = table.Column<Guid>(type: "uuid", nullable: true),
                    ResponderId = table.Column<Guid>(type: "uuid", nullable: true),
                    Text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ComplaintEvent", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ComplaintEvent_Complaint_ComplaintId",
                        column: x => x.ComplaintId,
                        principalTable: "Complaint",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_AreaId",
                table: "Complaint",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_ComplainantPhoneHash",
                table: "Complaint",
                column: "ComplainantPhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_ComplainantPhoneLast4",
                table: "Complaint",
                column: "ComplainantPhoneLast4");

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_HandlerId",
                table: "Complaint",
                column: "HandlerId");

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_Number",
                table: "Complaint",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_NumberDate_NumberSeq",
                table: "Complaint",
                columns: new[] { "NumberDate", "NumberSeq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_ReceivedAt",
                table: "Complaint",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_ResponderId",
                table: "Complaint",
                column: "ResponderId");

            migrationBuilder.CreateIndex(
                name: "IX_Complaint_Status_DueAt",
                table: "Complaint",
                columns: new[] { "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ComplaintEvent_ComplaintId_Seq",
                table: "ComplaintEvent",
                columns: new[] { "ComplaintId", "Seq" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalendarDay");

            migrationBuilder.DropTable(
                name: "ComplaintEvent");

            migrationBuilder.DropTable(
                name: "Complaint");
        }
    }
}
