-- Every perimeter import is a version that can be undone: who imported which file into
-- which layer and scope, what it changed, and the units of the scope as they were just
-- before (rows copied column for column, geometry included), so that undoing restores
-- them exactly. Outside schema atlas: the history survives the reference import's swap.
CREATE TABLE public.perimeter_version (
  id          serial PRIMARY KEY,
  layer       text NOT NULL,
  scope_kind  text NOT NULL CHECK (scope_kind IN ('departement', 'region', 'pays')),
  scope_code  text,
  scope_label text NOT NULL,
  -- région of the scope (NULL for the country): whose planners may undo it
  region      text,
  file        text NOT NULL,
  user_id     integer,
  user_name   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- added / replaced / removed units (code, name), re-keyed and unknown codes
  changes     jsonb NOT NULL,
  -- codes of the units this import wrote
  codes       text[] NOT NULL,
  -- the atlas.layer row before the import (NULL: the layer did not exist)
  layer_before jsonb,
  undone_at   timestamptz,
  undone_by   text
);
CREATE INDEX perimeter_version_layer_idx ON public.perimeter_version (layer, id);

CREATE TABLE public.perimeter_version_unit (
  version_id    integer NOT NULL REFERENCES public.perimeter_version (id) ON DELETE CASCADE,
  code          text NOT NULL,
  name          text NOT NULL,
  subtype       text,
  attrs         jsonb NOT NULL,
  fictif        boolean NOT NULL,
  population    double precision,
  area_km2      double precision,
  commune_count integer NOT NULL,
  geom          geometry(MultiPolygon, 4326),
  search_key    text NOT NULL,
  PRIMARY KEY (version_id, code)
);

CREATE TABLE public.perimeter_version_member (
  version_id integer NOT NULL REFERENCES public.perimeter_version (id) ON DELETE CASCADE,
  code       text NOT NULL,
  commune    text NOT NULL,
  share      double precision,
  PRIMARY KEY (version_id, code, commune)
);
