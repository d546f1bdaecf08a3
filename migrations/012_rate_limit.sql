-- Rate limits shared by every instance on one database (the signalment form): one row per
-- key ('contribution:account:<id>' or 'contribution:address:<ip>'), counting the hits of
-- the current fixed window. A hit is one INSERT … ON CONFLICT DO UPDATE that only counts
-- while under the limit, so a parallel burst cannot get more than the limit through.
CREATE TABLE registry.rate_limit (
  key          text PRIMARY KEY,
  window_start timestamptz NOT NULL DEFAULT clock_timestamp(),
  hits         integer NOT NULL DEFAULT 1
);
CREATE INDEX rate_limit_window_idx ON registry.rate_limit (window_start);
