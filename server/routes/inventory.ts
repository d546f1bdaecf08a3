// Inventory status of the registry (contract/inventory.ts): public reads, declarations by
// the planner of the région concerned or an admin, each kept in the history.
import { Router } from 'express';
import { requireUser } from '../auth/index.ts';
import type { Db } from '../../core/db/db.ts';
import { notFound } from '../errors.ts';
import { INVENTORY_TYPES, inventoryHistoryEndpoint, listInventory, putInventory } from '../../contract/inventory.ts';
import { inventoryHistory, regionInventory, regionOfZone, setInventory } from '../queries/inventory.ts';
import { requireRegion } from '../registry/scope.ts';

export function inventoryRoutes(db: Db): Router {
  const router = Router();

  router.get('/inventory', async (req, res) => {
    const { region } = listInventory.query!.parse(req.query);
    const entries = await regionInventory(db, region, INVENTORY_TYPES);
    if (!entries.length) throw notFound(`Région introuvable : « ${region} ».`);
    res.set('Cache-Control', 'no-cache').json({ region, entries });
  });

  router.put('/inventory/:zone/:type', async (req, res) => {
    const user = requireUser(res);
    const { zone, type } = putInventory.params!.parse(req.params);
    const body = putInventory.body!.parse(req.body ?? {});
    const region = await regionOfZone(db, zone);
    if (!region) throw notFound(`Zone introuvable : « ${zone} ».`);
    requireRegion(user, region, 'déclarer l’état d’inventaire');
    await db.transaction((tx) => setInventory(tx, { zone, type, ...body, userId: user.id }));
    const entry = (await regionInventory(db, region, [type])).find((e) => e.zone === zone)!;
    res.json({ entry });
  });

  router.get('/inventory/:zone/:type/history', async (req, res) => {
    const { zone, type } = inventoryHistoryEndpoint.params!.parse(req.params);
    res.json({ history: await inventoryHistory(db, zone, type) });
  });

  return router;
}
