-- 0004_city_reads: the city's role reads all the reader's role does, schema_migrations included.
-- The city owns every table but schema_migrations (whoever ran kpr init owns that one) and was
-- not a member of the reader's role, so a login given only <db>_city, as the user guide says to
-- do, failed the schema check every command makes: permission denied for table
-- schema_migrations.
DO $$
BEGIN
	EXECUTE format('GRANT %I TO %I', current_database() || '_reader', current_database() || '_city');
END $$;
