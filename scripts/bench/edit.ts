// How long a registry edit takes to show on the map: sign in as a bench administrator,
// move the perimeter of a probe scheme (PTSM, fictitious, in the Lot) back and forth
// through PATCH /api/schemes/:code, and after each edit poll the scheme tile over it
// until it changes (on the same instance, or on another one sharing the database: then
// the delay is the cross-instance invalidation). The probe is created once in the bench database; each run leaves it
// as it found it.
import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../core/db/db.ts';
import { hashPassword } from '../../server/auth/passwords.ts';
import { createUser, emailTaken } from '../../server/queries/users.ts';
import { tilePath } from './tile-list.ts';

const EMAIL = 'banc-essai@millefeuille.invalid';
const PROBE = 'bench-edit-probe';
/** Grand Cahors, then Cazals-Salviac: both meet scheme tile z8 128/92. */
const PERIMETERS = [{ epci: ['200023737'] }, { epci: ['200035327'] }];
const TILE = tilePath('scheme', 8, 128, 92);

export interface EditSample {
  patchMs: number;
  visibleMs: number;
  polls: number;
}

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 300)}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function measureEditVisibility(db: Queryable, baseUrl: string, tileBaseUrl = baseUrl): Promise<EditSample[]> {
  const password = randomBytes(18).toString('base64url');
  const hash = await hashPassword(password);
  if (await emailTaken(db, EMAIL)) {
    await db.query(`UPDATE registry.app_user SET password_hash = $2, disabled = false WHERE lower(email) = lower($1)`, [EMAIL, hash]);
  } else {
    await createUser(db, { email: EMAIL, name: 'Banc d’essai', role: 'admin', region: null, passwordHash: hash, schemes: [] });
  }
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: EMAIL, password }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await json(login)) as { csrfToken: string };
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken };

  let res = await fetch(`${baseUrl}/api/schemes/${PROBE}`);
  if (res.status === 404) {
    await res.arrayBuffer();
    await json(
      await fetch(`${baseUrl}/api/schemes`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          code: PROBE,
          type: 'PTSM',
          name: 'Sonde du banc d’essai (fictive)',
          status: 'en_elaboration',
          perimeter: PERIMETERS[0],
          remark: 'Démarche fictive créée par npm run bench pour mesurer le délai d’affichage d’une modification.',
        }),
      }),
    );
    res = await fetch(`${baseUrl}/api/schemes/${PROBE}`);
  }
  let etag = res.headers.get('etag')!;
  const current = ((await json(res)) as { scheme: { communes: { code: string }[] } }).scheme.communes.map((c) => c.code);
  // start from whichever perimeter the probe has now, and come back to it
  const startAt = current.some((c) => c.startsWith('46042')) ? 0 : 1;
  const order = [PERIMETERS[1 - startAt]!, PERIMETERS[startAt]!];

  const tileEtag = async () => {
    const r = await fetch(tileBaseUrl + TILE);
    await r.arrayBuffer();
    return r.headers.get('etag');
  };
  const samples: EditSample[] = [];
  for (const perimeter of order) {
    const before = await tileEtag();
    const t0 = performance.now();
    const patch = await fetch(`${baseUrl}/api/schemes/${PROBE}`, {
      method: 'PATCH',
      headers: { ...headers, 'if-match': etag },
      body: JSON.stringify({ perimeter }),
    });
    etag = patch.headers.get('etag')!;
    await json(patch);
    const patchMs = performance.now() - t0;
    let polls = 0;
    while ((await tileEtag()) === before) {
      if (++polls > 1000) throw new Error('the scheme tile never changed after the edit');
    }
    samples.push({ patchMs, visibleMs: performance.now() - t0, polls: polls + 1 });
  }
  await fetch(`${baseUrl}/api/auth/logout`, { method: 'POST', headers });
  return samples;
}
