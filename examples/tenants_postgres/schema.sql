-- The tenants' front ends, as the `tenants_postgres` example keeps them.
--
-- `tenant_origins` holds one row per (tenant, origin). Every change to it
-- bumps the tenant's row in `tenant_versions` in the same transaction and
-- sends `NOTIFY tenant_origins, '<version>:<tenant>'` when the transaction
-- commits. A tenant's version only grows: the row is never deleted (a
-- tenant is closed by deleting its origins, which bumps the version once
-- more), so an instance can always tell an older read from a newer one.
CREATE TABLE IF NOT EXISTS tenant_versions (
    tenant  text   PRIMARY KEY,
    version bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS tenant_origins (
    tenant text NOT NULL,
    origin text NOT NULL,
    PRIMARY KEY (tenant, origin)
);

CREATE OR REPLACE FUNCTION tenant_origins_bump(key text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    bumped bigint;
BEGIN
    -- The row lock serialises concurrent writers of one tenant.
    INSERT INTO tenant_versions AS v (tenant, version) VALUES (key, 1)
    ON CONFLICT (tenant) DO UPDATE SET version = v.version + 1
    RETURNING v.version INTO bumped;
    PERFORM pg_notify('tenant_origins', bumped::text || ':' || key);
END;
$$;

CREATE OR REPLACE FUNCTION tenant_origins_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM tenant_origins_bump(OLD.tenant);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (TG_OP = 'INSERT' OR NEW.tenant <> OLD.tenant) THEN
        PERFORM tenant_origins_bump(NEW.tenant);
    END IF;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS tenant_origins_changed ON tenant_origins;
CREATE TRIGGER tenant_origins_changed
    AFTER INSERT OR UPDATE OR DELETE ON tenant_origins
    FOR EACH ROW EXECUTE FUNCTION tenant_origins_changed();

-- TRUNCATE fires no row trigger: every tenant is bumped (and notified).
CREATE OR REPLACE FUNCTION tenant_origins_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tenant_origins_bump(tenant) FROM tenant_versions;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS tenant_origins_truncated ON tenant_origins;
CREATE TRIGGER tenant_origins_truncated
    AFTER TRUNCATE ON tenant_origins
    FOR EACH STATEMENT EXECUTE FUNCTION tenant_origins_truncated();

-- A version row taken away would let an older read win again.
CREATE OR REPLACE FUNCTION tenant_versions_kept() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'tenant_versions rows are kept: delete the tenant''s origins instead';
END;
$$;

DROP TRIGGER IF EXISTS tenant_versions_kept ON tenant_versions;
CREATE TRIGGER tenant_versions_kept
    BEFORE DELETE ON tenant_versions
    FOR EACH ROW EXECUTE FUNCTION tenant_versions_kept();
