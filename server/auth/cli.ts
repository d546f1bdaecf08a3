// `npm run user:create -- --email … --name … [--role admin|planner|coordinator]
// [--region 84] [--schemes a,b]`: creates an account from the command line (the first
// administrator in particular). The password is read from MILLEFEUILLE_PASSWORD or,
// when unset, from standard input. Refused while a server holds the embedded database.
import { parseArgs } from 'node:util';
import { loadConfig } from '../../core/config.ts';
import { holdDataDir } from '../../core/db/data-dir-lock.ts';
import { openDb } from '../../core/db/db.ts';
import { migrate } from '../../core/db/migrate.ts';
import { describeZodError } from '../errors.ts';
import { createUser, emailTaken } from '../queries/users.ts';
import { newUserSchema } from '../routes/users.ts';
import { hashPassword } from './passwords.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'admin' },
    region: { type: 'string' },
    schemes: { type: 'string' },
  },
});
const password = process.env.MILLEFEUILLE_PASSWORD ?? (await readStdin());
const parsed = newUserSchema.safeParse({
  email: values.email,
  name: values.name,
  role: values.role,
  region: values.region ?? null,
  password,
  schemes: values.schemes ? values.schemes.split(',') : [],
});
if (!parsed.success) {
  console.error(`Compte non créé : ${describeZodError(parsed.error)}`);
  process.exit(2);
}
const config = loadConfig();
holdDataDir(config, 'commande');
const db = await openDb(config);
try {
  await migrate(db);
  if (await emailTaken(db, parsed.data.email)) throw new Error(`un compte existe déjà pour ${parsed.data.email}`);
  const id = await createUser(db, { ...parsed.data, passwordHash: await hashPassword(parsed.data.password) });
  console.log(`Compte ${parsed.data.role} n° ${id} créé pour ${parsed.data.email}.`);
} catch (err) {
  console.error(`Compte non créé : ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
