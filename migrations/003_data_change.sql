-- Every import writes a row here inside its own transaction (layer NULL: the reference
-- data, so every layer). A running server reads the new rows every few seconds and
-- forgets the tiles and cached analyses of what changed, whichever process imported
-- (`npm run import` while the server runs, for instance).
CREATE TABLE public.data_change (
  id    serial PRIMARY KEY,
  layer text,
  at    timestamptz NOT NULL DEFAULT now()
);
