-- Who coordinates a scheme: a role on the scheme, not necessarily an account. The same
-- coordinator_key on several schemes is one person or team carrying several schemes
-- ("multi-casquettes"), which the panorama counts; empty until the registry fills it.
CREATE TABLE registry.scheme_coordinator (
  scheme          text NOT NULL REFERENCES registry.scheme (code) ON DELETE CASCADE,
  coordinator_key text NOT NULL,
  name            text NOT NULL,
  PRIMARY KEY (scheme, coordinator_key)
);
CREATE INDEX scheme_coordinator_key_idx ON registry.scheme_coordinator (coordinator_key);
