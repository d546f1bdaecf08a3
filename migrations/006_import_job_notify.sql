-- Imports (perimeter files, the registry CSV) run as background jobs: the request that
-- submits one answers 202 at once and the client polls the job. Jobs live here rather
-- than in one process's memory so that every instance sees their progress, and the
-- partial unique index lets one import per scope (a perimeter layer, the registry) run
-- at a time across instances. An instance that dies leaves its job 'running': the
-- heartbeat tells the others (and the next start) that nobody is running it any more.
CREATE TABLE public.import_job (
  id           text PRIMARY KEY,
  kind         text NOT NULL CHECK (kind IN ('perimeters', 'registry')),
  -- what the import replaces: 'perimeters:cpts', 'registry'; a dry run holds no scope
  scope        text,
  user_id      integer REFERENCES registry.app_user (id) ON DELETE SET NULL,
  status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  step         text NOT NULL DEFAULT '',
  done         integer NOT NULL DEFAULT 0,
  total        integer,
  report       jsonb,
  -- a failure as a problem: {status, detail, …}
  error        jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE UNIQUE INDEX import_job_one_per_scope ON public.import_job (scope) WHERE status = 'running' AND scope IS NOT NULL;
CREATE INDEX import_job_created ON public.import_job (created_at);

-- Every row of public.data_change is announced on channel 'data_change' when its
-- transaction commits: instances LISTENing on PostgreSQL forget stale tiles and analyses
-- at once instead of at their next poll (which stays as the fallback).
CREATE FUNCTION public.notify_data_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('data_change', coalesce(NEW.layer, ''));
  RETURN NEW;
END $$;
CREATE TRIGGER data_change_notify AFTER INSERT ON public.data_change FOR EACH ROW EXECUTE FUNCTION public.notify_data_change();
