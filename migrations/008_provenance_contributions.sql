-- Provenance of every scheme (what kind of source, and when) and the moderation queue
-- of schemes signalled by visitors without an account. The reporter's e-mail lives only
-- here, read by moderators; it is never copied into the scheme or its history.
ALTER TABLE registry.scheme
  ADD COLUMN source_kind text NOT NULL DEFAULT 'reference'
    CHECK (source_kind IN ('reference', 'saisie', 'import', 'signalement')),
  -- when the source was recorded: the import, the entry, the signalling
  ADD COLUMN source_date date DEFAULT current_date;
UPDATE registry.scheme SET source_date = created_at::date;

-- Schemes created through the API used to name their author by e-mail in `source`,
-- which every visitor reads: name them by their account name instead.
UPDATE registry.scheme s SET source = 'Saisie par ' || u.name, source_kind = 'saisie'
FROM registry.app_user u WHERE s.source = 'Registre Millefeuille (' || u.email || ')';
UPDATE registry.scheme SET source = 'Saisie dans Millefeuille', source_kind = 'saisie'
WHERE source LIKE 'Registre Millefeuille (%@%)';

CREATE TABLE registry.contribution (
  id             serial PRIMARY KEY,
  status         text NOT NULL DEFAULT 'en_attente' CHECK (status IN ('en_attente', 'acceptee', 'rejetee')),
  -- région holding most of the signalled perimeter's population: whose planners moderate it
  region         text,
  -- what was signalled (type, name, bearer, perimeter, dates, FTE, source link), as validated
  payload        jsonb NOT NULL,
  reporter_email text NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  decided_by     integer,
  decided_at     timestamptz,
  reason         text,
  scheme         text
);
CREATE INDEX contribution_queue_idx ON registry.contribution (status, region);
