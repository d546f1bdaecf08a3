// Arranges the fictitious CPTS examples of the Lot for tests that replace them: units
// another test imported there (and did not undo) go, and the examples come back. Test
// files share one database, so a test that needs the examples must not depend on order.
import type { Db } from '../../core/db/db.ts';
import { ensureExampleLayers } from '../../geodata/examples/index.ts';

export async function restoreLotExamples(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    const imported = `SELECT DISTINCT p.code FROM atlas.perimeter p
      JOIN atlas.membership m ON m.layer = p.layer AND m.code = p.code JOIN atlas.commune c ON c.code = m.commune
      WHERE p.layer = 'cpts' AND NOT p.fictif AND p.attrs->'import' IS NOT NULL AND c.departement = '46'`;
    await tx.query(`DELETE FROM atlas.membership WHERE layer = 'cpts' AND code IN (${imported})`);
    await tx.query(
      `DELETE FROM atlas.perimeter p WHERE p.layer = 'cpts' AND NOT p.fictif AND p.attrs->'import' IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM atlas.membership m WHERE m.layer = p.layer AND m.code = p.code)`,
    );
  });
  await ensureExampleLayers(db);
}
