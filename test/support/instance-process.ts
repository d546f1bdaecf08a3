// One Millefeuille instance in a process of its own, for tests that kill it (kill -9)
// mid-request: the real app over DATABASE_URL on a free port, which it prints as JSON.
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createServer } from '../../server/app.ts';
import { openDb } from '../../core/db/db.ts';

const db = await openDb({ databaseUrl: process.env.DATABASE_URL, dataDir: '' });
const server = createServer({ db, logger: pino({ level: 'silent' }) }).listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
