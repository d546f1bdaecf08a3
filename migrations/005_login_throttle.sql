-- Login throttling shared by every instance on one database: one row per key
-- ('account:<e-mail>' or 'address:<ip>'). `level` counts failed (or reserved)
-- attempts and fades with time; `next_at` is the earliest instant the key may try
-- again. Attempts are reserved under a row lock before the password is checked, so a
-- burst of parallel requests cannot test more passwords than the limit.
CREATE TABLE registry.login_throttle (
  key        text PRIMARY KEY,
  level      double precision NOT NULL DEFAULT 0,
  next_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX login_throttle_updated_idx ON registry.login_throttle (updated_at);
