// A fictitious registry as large as the one of the audit that bricked the server: N
// schemes of M communes each, as the registry CSV an administrator would import. The
// communes are spread over the whole of France (a stride through the sorted codes), the
// worst case for tile indexes: every scheme spans the country. Names say *fictif*.
import type { Queryable } from '../../core/db/db.ts';

export const LARGE_PREFIX = 'fictif-charge-';

export async function largeRegistryCsv(db: Queryable, schemes: number, communesEach: number): Promise<string> {
  const codes = (await db.query<{ code: string }>(`SELECT code FROM atlas.commune ORDER BY code`)).map((r) => r.code);
  const header =
    'code;type;nom;porteur_type;porteur_nom;perimetre_reference;date_signature;generation;statut;date_fin;etp_coordination;thematiques;signataires;source;remarque;communes';
  const lines = [header];
  for (let i = 0; i < schemes; i++) {
    const members = new Set<string>();
    for (let j = 0; members.size < communesEach; j++) members.add(codes[((i * communesEach + j) * 7919) % codes.length]!);
    lines.push(
      [
        `${LARGE_PREFIX}${i}`,
        'CLS',
        `CLS fictif n° ${i} (test de charge)`,
        '',
        '',
        '',
        '',
        '',
        'en_cours',
        '',
        '',
        '',
        '',
        'fictif : test de charge',
        'démarche fictive générée par test/support/large-registry.ts',
        [...members].join(' '),
      ].join(';'),
    );
  }
  return lines.join('\n') + '\n';
}

/** Removes the fictitious schemes (registry, history) and rewrites the atlas' scheme layer. */
export async function removeLargeRegistry(db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }) {
  const { materializeSchemes } = await import('../../core/registry/materialize.ts');
  await db.transaction(async (tx) => {
    await tx.query(`DELETE FROM registry.history WHERE scheme LIKE $1`, [`${LARGE_PREFIX}%`]);
    await tx.query(`DELETE FROM registry.scheme WHERE code LIKE $1`, [`${LARGE_PREFIX}%`]);
    await materializeSchemes(tx, 'atlas', null);
  });
}
