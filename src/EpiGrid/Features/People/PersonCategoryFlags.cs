namespace EpiGrid.Features.People;

/// <summary>
/// <see cref="Person.CategoryFlags"/> is kept by the database itself: triggers on <c>PersonCategories</c> set the
/// category's bit on insert and clear it on delete, whoever writes (EF, the import's raw inserts, the generator). The
/// <c>ReportsSpeed</c> migration of each provider calls <see cref="Install"/>, which also fills the bits of the people
/// already stored; <see cref="Uninstall"/> is its Down. The bit of a category is <c>1 &lt;&lt; (int)category</c>.
/// (Raw SQL a regenerated migration must carry: call these two from it.)
/// <para>
/// Since the <c>ImportsSpeed2Flags</c> migration (<see cref="GuardInsert"/>, Down: <see cref="UnguardInsert"/>) the insert
/// trigger touches the person only when the bit is not set yet: the result is the same (OR-ing a bit already set changes
/// nothing), but a writer that stores the person with the bit already set (the import's bulk path, which inserts a
/// person and their category together) no longer rewrites the row and its two CategoryFlags indexes a second time.
/// <see cref="Install"/> stays as it was, so the <c>ReportsSpeed</c> migration keeps producing the schema it always did.
/// </para>
/// </summary>
public static class PersonCategoryFlags
{
    public static int Bit(PersonCategory c) => 1 << (int)c;

    /// <summary>The bit of the category stored in <paramref name="column"/> (a string column), as a SQL expression.</summary>
    public static string BitSql(string column) =>
        "(CASE " + column + " " + string.Concat(Enum.GetValues<PersonCategory>().Select(c => $"WHEN '{c}' THEN {Bit(c)} ")) + "ELSE 0 END)";

    public static string Install(bool postgres) => postgres
        ? $$"""
            CREATE OR REPLACE FUNCTION person_category_flags() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN
                UPDATE "People" SET "CategoryFlags" = "CategoryFlags" | {{BitSql("NEW.\"Category\"")}} WHERE "Id" = NEW."PersonId";
              ELSE
                UPDATE "People" SET "CategoryFlags" = "CategoryFlags" & ~{{BitSql("OLD.\"Category\"")}} WHERE "Id" = OLD."PersonId";
              END IF;
              RETURN NULL;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER "PersonCategories_Flags" AFTER INSERT OR DELETE ON "PersonCategories" FOR EACH ROW EXECUTE FUNCTION person_category_flags();
            UPDATE "People" p SET "CategoryFlags" = f.bits
              FROM (SELECT "PersonId", SUM({{BitSql("\"Category\"")}})::int AS bits FROM "PersonCategories" GROUP BY "PersonId") f
              WHERE p."Id" = f."PersonId";
            """
        : $"""
            CREATE TRIGGER "PersonCategories_FlagsInsert" AFTER INSERT ON "PersonCategories" BEGIN
              UPDATE "People" SET "CategoryFlags" = "CategoryFlags" | {BitSql("NEW.\"Category\"")} WHERE "Id" = NEW."PersonId";
            END;
            CREATE TRIGGER "PersonCategories_FlagsDelete" AFTER DELETE ON "PersonCategories" BEGIN
              UPDATE "People" SET "CategoryFlags" = "CategoryFlags" & ~{BitSql("OLD.\"Category\"")} WHERE "Id" = OLD."PersonId";
            END;
            UPDATE "People" SET "CategoryFlags" = COALESCE((SELECT SUM({BitSql("c.\"Category\"")}) FROM "PersonCategories" c WHERE c."PersonId" = "People"."Id"), 0);
            """;

    public static string Uninstall(bool postgres) => postgres
        ? """
            DROP TRIGGER IF EXISTS "PersonCategories_Flags" ON "PersonCategories";
            DROP FUNCTION IF EXISTS person_category_flags();
            """
        : """
            DROP TRIGGER IF EXISTS "PersonCategories_FlagsInsert";
            DROP TRIGGER IF EXISTS "PersonCategories_FlagsDelete";
            """;

    /// <summary>The insert trigger with the guard <c>AND ("CategoryFlags" &amp; bit) = 0</c> (migration ImportsSpeed2Flags's Up).</summary>
    public static string GuardInsert(bool postgres) => InsertTrigger(postgres, guarded: true);

    /// <summary>The insert trigger as <see cref="Install"/> made it, without the guard (migration ImportsSpeed2Flags's Down).</summary>
    public static string UnguardInsert(bool postgres) => InsertTrigger(postgres, guarded: false);

    private static string InsertTrigger(bool postgres, bool guarded)
    {
        var guard = guarded ? $""" AND ("CategoryFlags" & {BitSql("NEW.\"Category\"")}) = 0""" : "";
        return postgres
            ? $$"""
                CREATE OR REPLACE FUNCTION person_category_flags() RETURNS trigger AS $$
                BEGIN
                  IF TG_OP = 'INSERT' THEN
                    UPDATE "People" SET "CategoryFlags" = "CategoryFlags" | {{BitSql("NEW.\"Category\"")}} WHERE "Id" = NEW."PersonId"{{guard}};
                  ELSE
                    UPDATE "People" SET "CategoryFlags" = "CategoryFlags" & ~{{BitSql("OLD.\"Category\"")}} WHERE "Id" = OLD."PersonId";
                  END IF;
                  RETURN NULL;
                END $$ LANGUAGE plpgsql;
                """
            : $"""
                DROP TRIGGER IF EXISTS "PersonCategories_FlagsInsert";
                CREATE TRIGGER "PersonCategories_FlagsInsert" AFTER INSERT ON "PersonCategories" BEGIN
                  UPDATE "People" SET "CategoryFlags" = "CategoryFlags" | {BitSql("NEW.\"Category\"")} WHERE "Id" = NEW."PersonId"{guard};
                END;
                """;
    }
}
