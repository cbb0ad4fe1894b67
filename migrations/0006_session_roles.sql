-- 0006_session_roles: who the session is, in one place, for row-level policies, triggers and
-- checks (the county-office issue).  kpr.role_name('city'|'county'|'reader') is the role this
-- registry's setting names; kpr.is_city() is true when the session's login may act for the
-- city: a member of <db>_city, or a superuser.  session_user, not current_user: SET ROLE and
-- SECURITY DEFINER functions do not change who is logged in, which is who the audit names.
CREATE FUNCTION role_name(kind text) RETURNS text
	LANGUAGE sql STABLE SET search_path = kpr, pg_catalog
	AS $$ SELECT value FROM setting WHERE key = 'role.' || kind $$;

CREATE FUNCTION is_city() RETURNS boolean
	LANGUAGE sql STABLE SET search_path = kpr, pg_catalog
	AS $$ SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
		OR pg_has_role(session_user, role_name('city'), 'MEMBER') $$;

REVOKE EXECUTE ON FUNCTION role_name(text), is_city() FROM PUBLIC;
DO $$
BEGIN
	EXECUTE format('GRANT EXECUTE ON FUNCTION role_name(text), is_city() TO %I',
		current_database() || '_reader');
END $$;
