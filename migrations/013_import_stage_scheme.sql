-- Staging of a registry CSV import: each incoming scheme with its communes, its région
-- and its derived contour and statistics (the costly union of its communes), written in
-- short statements outside the import's transaction, so that on the embedded database
-- (one connection) other requests run between them. The final transaction then only
-- copies these rows into the registry and the atlas. Rows belong to one import (`key`);
-- it removes them when done, and a start removes those a crashed process left.
CREATE TABLE public.import_stage_scheme (
  key           text NOT NULL,
  -- the scheme's rank in the file: history rows are written in the file's order
  ord           integer NOT NULL,
  code          text NOT NULL,
  -- registry.scheme's columns, as jsonb_populate_record reads them
  record        jsonb NOT NULL,
  -- [{ "code": "46042", "share": 1 }, …]
  communes      jsonb NOT NULL,
  search_key    text NOT NULL,
  region        text,
  geom          geometry(MultiPolygon, 4326),
  commune_count integer NOT NULL DEFAULT 0,
  population    double precision,
  area_km2      double precision,
  -- the registry's record before the import, taken inside its transaction (history)
  before        jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key, code)
);
