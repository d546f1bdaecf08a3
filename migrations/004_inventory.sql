-- How complete the registry is, per zone and scheme type: a figure about the registry
-- never claims more than the registry knows. zone is 'region:<code>' or
-- 'departement:<code>'; a (zone, type) without a row is 'inconnu'. Set by the planner of
-- the région or an admin; every change is kept in inventory_history.
CREATE TABLE registry.inventory (
  zone        text NOT NULL CHECK (zone ~ '^(region|departement):[0-9AB]{2,3}$'),
  scheme_type text NOT NULL CHECK (scheme_type IN ('CLS', 'ASV', 'CLSM', 'PTSM', 'CPTS')),
  status      text NOT NULL CHECK (status IN ('inconnu', 'partiel', 'complet')),
  complete_at date,
  comment     text,
  updated_by  integer,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (zone, scheme_type),
  CHECK (status <> 'complet' OR complete_at IS NOT NULL)
);

CREATE TABLE registry.inventory_history (
  id          serial PRIMARY KEY,
  zone        text NOT NULL,
  scheme_type text NOT NULL,
  status      text NOT NULL,
  complete_at date,
  comment     text,
  user_id     integer,
  at          timestamptz NOT NULL DEFAULT now()
);
