-- Reference atlas: communes, every perimeter layer, and the commune <-> perimeter
-- membership from which perimeter geometry and statistics are derived.
-- The import rebuilds these tables in schema atlas_next (CREATE TABLE ... LIKE) and
-- swaps schemas, so this file stays the only definition of their shape.
CREATE SCHEMA IF NOT EXISTS atlas;

CREATE TABLE atlas.layer (
  id        text PRIMARY KEY,
  name      text NOT NULL,
  kind      text NOT NULL,
  vintage   text NOT NULL,
  source    text NOT NULL,
  licence   text NOT NULL,
  fictif    boolean NOT NULL DEFAULT false,
  sort      integer NOT NULL DEFAULT 0
);

CREATE TABLE atlas.commune (
  code           text PRIMARY KEY,
  name           text NOT NULL,
  departement    text NOT NULL,
  region         text NOT NULL,
  arrondissement text,
  epci           text,
  population     integer NOT NULL DEFAULT 0,
  area_km2       double precision,
  geom           geometry(MultiPolygon, 4326),
  search_key     text NOT NULL
);
CREATE INDEX commune_geom_idx ON atlas.commune USING gist (geom);
CREATE INDEX commune_departement_idx ON atlas.commune (departement);

-- Codes that no longer name a current commune but must still lead to one:
-- merged communes (INSEE history), communes déléguées / associées, arrondissements municipaux.
CREATE TABLE atlas.commune_alias (
  old_code text NOT NULL,
  code     text NOT NULL,
  kind     text NOT NULL,
  name     text,
  PRIMARY KEY (old_code, code)
);

CREATE TABLE atlas.perimeter (
  layer         text NOT NULL,
  code          text NOT NULL,
  name          text NOT NULL,
  subtype       text,
  attrs         jsonb NOT NULL DEFAULT '{}',
  fictif        boolean NOT NULL DEFAULT false,
  population    double precision,
  area_km2      double precision,
  commune_count integer NOT NULL DEFAULT 0,
  geom          geometry(MultiPolygon, 4326),
  search_key    text NOT NULL,
  PRIMARY KEY (layer, code)
);
CREATE INDEX perimeter_geom_idx ON atlas.perimeter USING gist (geom);

-- share: part of the commune inside the perimeter (1 = whole commune);
-- NULL = a part of unknown size (e.g. a 2024 QPV, known only by its communes).
CREATE TABLE atlas.membership (
  layer   text NOT NULL,
  code    text NOT NULL,
  commune text NOT NULL,
  share   double precision,
  PRIMARY KEY (layer, code, commune)
);
CREATE INDEX membership_commune_idx ON atlas.membership (commune);

-- Attributes of the territorial health schemes (their perimeter rows live in
-- atlas.perimeter with layer = 'scheme' and subtype = the scheme type).
CREATE TABLE atlas.scheme (
  code             text PRIMARY KEY,
  type             text NOT NULL,
  name             text NOT NULL,
  bearer_type      text,
  bearer_name      text,
  perimeter_ref    text,
  start_date       text,
  generation       integer,
  coordination_fte double precision,
  status           text,
  source           text,
  remark           text
);

-- Outside schema atlas: the history of imports survives the swap.
CREATE TABLE public.import_run (
  id          serial PRIMARY KEY,
  started_at  timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  status      text NOT NULL,
  vintage     text,
  report      jsonb
);
