-- Staging of a polygon perimeter import: the costly geometry work (making contours valid,
-- intersecting them with every commune) is written here in short statements, outside the
-- import's transaction, so that on the embedded database (one connection) other requests
-- run between them. The import's final transaction then copies these rows into the atlas.
-- Rows belong to one import (`key`); it removes them when done, and a start removes those
-- a crashed process left (server/jobs/cleanup.ts).
CREATE TABLE public.import_stage_perimeter (
  key        text NOT NULL,
  code       text NOT NULL,
  geom       geometry(MultiPolygon, 4326),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key, code)
);
CREATE INDEX import_stage_perimeter_geom_idx ON public.import_stage_perimeter USING gist (geom);

CREATE TABLE public.import_stage_membership (
  key        text NOT NULL,
  code       text NOT NULL,
  commune    text NOT NULL,
  share      double precision,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key, code, commune)
);
