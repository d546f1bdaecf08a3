-- The scheme registry: the editable source of truth for CLS / ASV / CLSM / PTSM, kept
-- outside schema atlas so reference imports never overwrite it. Seeded once from the
-- reference CSV; materialised into atlas.perimeter / atlas.membership (layer 'scheme').
-- Accounts, sessions, referents and the history of every change live here too.
CREATE SCHEMA IF NOT EXISTS registry;

CREATE TABLE registry.scheme (
  code             text PRIMARY KEY,
  type             text NOT NULL CHECK (type IN ('CLS', 'ASV', 'CLSM', 'PTSM')),
  name             text NOT NULL,
  bearer_type      text,
  bearer_name      text,
  perimeter_ref    text,
  signature_date   text,
  generation       integer,
  status           text NOT NULL DEFAULT 'en_cours',
  end_date         text,
  coordination_fte double precision,
  themes           text[] NOT NULL DEFAULT '{}',
  signatories      text[] NOT NULL DEFAULT '{}',
  region           text,
  source           text,
  remark           text,
  version          integer NOT NULL DEFAULT 1,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE registry.scheme_commune (
  scheme  text NOT NULL REFERENCES registry.scheme (code) ON DELETE CASCADE,
  commune text NOT NULL,
  share   double precision NOT NULL DEFAULT 1,
  PRIMARY KEY (scheme, commune)
);

CREATE TABLE registry.referent (
  scheme        text NOT NULL REFERENCES registry.scheme (code) ON DELETE CASCADE,
  commune       text NOT NULL,
  name          text,
  delegation    text,
  email         text,
  phone         text,
  has_committee boolean NOT NULL DEFAULT false,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scheme, commune)
);

CREATE TABLE registry.app_user (
  id            serial PRIMARY KEY,
  email         text NOT NULL UNIQUE,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'planner', 'coordinator')),
  region        text,
  password_hash text NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE registry.user_scheme (
  user_id integer NOT NULL REFERENCES registry.app_user (id) ON DELETE CASCADE,
  scheme  text NOT NULL,
  PRIMARY KEY (user_id, scheme)
);

CREATE TABLE registry.session (
  token_hash text PRIMARY KEY,
  user_id    integer NOT NULL REFERENCES registry.app_user (id) ON DELETE CASCADE,
  csrf       text NOT NULL,
  expires_at timestamptz NOT NULL
);

CREATE TABLE registry.history (
  id         serial PRIMARY KEY,
  scheme     text NOT NULL,
  version    integer NOT NULL,
  at         timestamptz NOT NULL DEFAULT now(),
  user_id    integer,
  user_email text,
  action     text NOT NULL,
  before     jsonb,
  after      jsonb
);
CREATE INDEX history_scheme_idx ON registry.history (scheme, id);

DROP TABLE atlas.scheme;
