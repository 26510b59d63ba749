using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EpiGrid.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class FieldWork2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "DutyMember",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Branch = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PhoneCipher = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    PhoneHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PhoneLast4 = table.Column<string>(type: "TEXT", maxLength: 4, nullable: true),
                    PhoneMasked = table.Column<string>(type: "TEXT", maxLength: 60, nullable: true),
                    Skills = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DutyMember", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DutyMember_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DutyMember_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "ModelPost",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Location = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    GateId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Duties = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelPost", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ModelPost_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ModelPost_Gates_GateId",
                        column: x => x.GateId,
                        principalTable: "Gates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PublicityMaterial",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Issuer = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    IssuedOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PublicityMaterial", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PublicityPoint",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Location = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Shows = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PublicityPoint", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PublicityPoint_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PublicityVehicle",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Plate = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Route = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    DailyFrom = table.Column<TimeOnly>(type: "TEXT", nullable: false),
                    DailyTo = table.Column<TimeOnly>(type: "TEXT", nullable: false),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PublicityVehicle", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PublicityVehicle_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SupplyLink",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Token = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HouseholdId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CompoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedById = table.Column<Guid>(type: "TEXT", nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupplyLink", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupplyLink_Areas_CompoundId",
                        column: x => x.CompoundId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupplyLink_AspNetUsers_CreatedById",
                        column: x => x.CreatedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupplyLink_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ShockTeam",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LeaderId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Task = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShockTeam", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ShockTeam_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ShockTeam_DutyMember_LeaderId",
                        column: x => x.LeaderId,
                        principalTable: "DutyMember",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SupplyRequest",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PersonId = table.Column<Guid>(type: "TEXT", nullable: false),
                    HouseholdId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CompoundId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DeliveryAddress = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Items = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    PreferredTime = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RequestedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    VolunteerUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DutyMemberId = table.Column<Guid>(type: "TEXT", nullable: true),
                    AssigneeName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    AssignedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeliveredAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DeliveredBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Contactless = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeliveryNote = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    DeliveryRecordedById = table.Column<Guid>(type: "TEXT", nullable: true),
                    CancelReason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupplyRequest", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SupplyRequest_Areas_CompoundId",
                        column: x => x.CompoundId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupplyRequest_AspNetUsers_VolunteerUserId",
                        column: x => x.VolunteerUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupplyRequest_DutyMember_DutyMemberId",
                        column: x => x.DutyMemberId,
                        principalTable: "DutyMember",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupplyRequest_Household_HouseholdId",
                        column: x => x.HouseholdId,
                        principalTable: "Household",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SupplyRequest_People_PersonId",
                        column: x => x.PersonId,
                        principalTable: "People",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "DutyShift",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    GateId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PostId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Place = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    StartsAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndsAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedById = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DutyShift", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DutyShift_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DutyShift_AspNetUsers_CreatedById",
                        column: x => x.CreatedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DutyShift_DutyMember_MemberId",
                        column: x => x.MemberId,
                        principalTable: "DutyMember",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DutyShift_Gates_GateId",
                        column: x => x.GateId,
                        principalTable: "Gates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DutyShift_ModelPost_PostId",
                        column: x => x.PostId,
                        principalTable: "ModelPost",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ModelPostMember",
                columns: table => new
                {
                    PostId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelPostMember", x => new { x.PostId, x.MemberId });
                    table.ForeignKey(
                        name: "FK_ModelPostMember_DutyMember_MemberId",
                        column: x => x.MemberId,
                        principalTable: "DutyMember",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ModelPostMember_ModelPost_PostId",
                        column: x => x.PostId,
                        principalTable: "ModelPost",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MaterialPosting",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    MaterialId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PointId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Place = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Method = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DoneBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedById = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MaterialPosting", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MaterialPosting_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MaterialPosting_AspNetUsers_RecordedById",
                        column: x => x.RecordedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MaterialPosting_PublicityMaterial_MaterialId",
                        column: x => x.MaterialId,
                        principalTable: "PublicityMaterial",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MaterialPosting_PublicityPoint_PointId",
                        column: x => x.PointId,
                        principalTable: "PublicityPoint",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "VehicleRun",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    VehicleId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AreaId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Route = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Content = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    RecordedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedById = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VehicleRun", x => x.Id);
                    table.ForeignKey(
                        name: "FK_VehicleRun_Areas_AreaId",
                        column: x => x.AreaId,
                        principalTable: "Areas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_VehicleRun_AspNetUsers_RecordedById",
                        column: x => x.RecordedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_VehicleRun_PublicityVehicle_VehicleId",
                        column: x => x.VehicleId,
                        principalTable: "PublicityVehicle",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ShockTeamMember",
                columns: table => new
                {
                    TeamId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MemberId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ShockTeamMember", x => new { x.TeamId, x.MemberId });
                    table.ForeignKey(
                        name: "FK_ShockTeamMember_DutyMember_MemberId",
                        column: x => x.MemberId,
                        principalTable: "DutyMember",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ShockTeamMember_ShockTeam_TeamId",
                        column: x => x.TeamId,
                        principalTable: "ShockTeam",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_DutyMember_AreaId_Kind",
                table: "DutyMember",
                columns: new[] { "AreaId", "Kind" });

            migrationBuilder.CreateIndex(
                name: "IX_DutyMember_PhoneHash",
                table: "DutyMember",
                column: "PhoneHash");

            migrationBuilder.CreateIndex(
                name: "IX_DutyMember_PhoneLast4",
                table: "DutyMember",
                column: "PhoneLast4");

            migrationBuilder.CreateIndex(
                name: "IX_DutyMember_UserId",
                table: "DutyMember",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_DutyShift_AreaId_StartsAt",
                table: "DutyShift",
                columns: new[] { "AreaId", "StartsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DutyShift_CreatedById",
                table: "DutyShift",
                column: "CreatedById");

            migrationBuilder.CreateIndex(
                name: "IX_DutyShift_GateId",
                table: "DutyShift",
                column: "GateId");

            migrationBuilder.CreateIndex(
                name: "IX_DutyShift_MemberId_StartsAt",
                table: "DutyShift",
                columns: new[] { "MemberId", "StartsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_DutyShift_PostId",
                table: "DutyShift",
                column: "PostId");

            migrationBuilder.CreateIndex(
                name: "IX_MaterialPosting_AreaId_MaterialId",
                table: "MaterialPosting",
                columns: new[] { "AreaId", "MaterialId" });

            migrationBuilder.CreateIndex(
                name: "IX_MaterialPosting_MaterialId_Date",
                table: "MaterialPosting",
                columns: new[] { "MaterialId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_MaterialPosting_PointId",
                table: "MaterialPosting",
                column: "PointId");

            migrationBuilder.CreateIndex(
                name: "IX_MaterialPosting_RecordedById",
                table: "MaterialPosting",
                column: "RecordedById");

            migrationBuilder.CreateIndex(
                name: "IX_ModelPost_AreaId",
                table: "ModelPost",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_ModelPost_GateId",
                table: "ModelPost",
                column: "GateId");

            migrationBuilder.CreateIndex(
                name: "IX_ModelPostMember_MemberId",
                table: "ModelPostMember",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_PublicityMaterial_Title",
                table: "PublicityMaterial",
                column: "Title",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PublicityPoint_AreaId",
                table: "PublicityPoint",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_PublicityVehicle_AreaId",
                table: "PublicityVehicle",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_ShockTeam_AreaId",
                table: "ShockTeam",
                column: "AreaId");

            migrationBuilder.CreateIndex(
                name: "IX_ShockTeam_LeaderId",
                table: "ShockTeam",
                column: "LeaderId");

            migrationBuilder.CreateIndex(
                name: "IX_ShockTeamMember_MemberId",
                table: "ShockTeamMember",
                column: "MemberId");

            migrationBuilder.CreateIndex(
                name: "IX_SupplyLink_CompoundId",
                table: "SupplyLink",
                column: "CompoundId");

            migrationBuilder.CreateIndex(
                name: "IX_SupplyLink_CreatedById",
                table: "SupplyLink",
                column: "CreatedById");

            migrationBuilder.CreateIndex(
                name: "IX_SupplyLink_PersonId",
                table: "SupplyLink",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_SupplyLink_Token",
                table: "SupplyLink",
                column: "Token",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SupplyRequest_CompoundId_Status",
                table: "SupplyRequest",
                columns: new[] { "CompoundId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_SupplyRequest_DutyMemberId",
                table: "SupplyRequest",
                column: "DutyMemberId");

            migrationBuilder.CreateIndex(
                name: "IX_SupplyRequest_HouseholdId",
                table: "SupplyRequest",
                column: "HouseholdId");

            migrationBuilder.CreateIndex(
                name: "IX_SupplyRequest_PersonId_RequestedAt",
                table: "SupplyRequest",
                columns: new[] { "PersonId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SupplyRequest_Status_RequestedAt",
                table: "SupplyRequest",
                columns: new[] { "Status", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_SupplyRequest_VolunteerUserId_Status",
                table: "SupplyRequest",
                columns: new[] { "VolunteerUserId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_VehicleRun_AreaId_Date",
                table: "VehicleRun",
                columns: new[] { "AreaId", "Date" });

            migrationBuilder.CreateIndex(
                name: "IX_VehicleRun_RecordedById",
                table: "VehicleRun",
                column: "RecordedById");

            migrationBuilder.CreateIndex(
                name: "IX_VehicleRun_VehicleId_Date",
                table: "VehicleRun",
                columns: new[] { "VehicleId", "Date" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DutyShift");

            migrationBuilder.DropTable(
                name: "MaterialPosting");

            migrationBuilder.DropTable(
                name: "ModelPostMember");

            migrationBuilder.DropTable(
                name: "ShockTeamMember");

            migrationBuilder.DropTable(
                name: "SupplyLink");

            migrationBuilder.DropTable(
                name: "SupplyRequest");

            migrationBuilder.DropTable(
                name: "VehicleRun");

            migrationBuilder.DropTable(
                name: "PublicityMaterial");

            migrationBuilder.DropTable(
                name: "PublicityPoint");

            migrationBuilder.DropTable(
                name: "ModelPost");

            migrationBuilder.DropTable(
                name: "ShockTeam");

            migrationBuilder.DropTable(
                name: "PublicityVehicle");

            migrationBuilder.DropTable(
                name: "DutyMember");
        }
    }
}
