// Runtime configuration: every environment variable the app reads, with its default,
// validated once at start so a bad value stops the process with a clear message.
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** Express `trust proxy`: false, a number of hops, or a list of addresses / subnets / names. */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const isProxyEntry = (entry: string) => {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
};

/**
 * TRUST_PROXY: which reverse proxies may tell the client's address (X-Forwarded-For)
 * and protocol (X-Forwarded-Proto). "false" (default), a number of hops, or a comma
 * list of addresses, subnets and the names loopback, linklocal, uniquelocal. "true"
 * is refused: trusting everyone lets any client choose its own address.
 */
const trustProxySchema = z
  .string()
  .trim()
  .refine((v) => v.toLowerCase() !== 'true', {
    message: '« true » ferait confiance à n’importe quel client : indiquez les proxys (ex. loopback, 10.0.0.0/8) ou un nombre de sauts',
  })
  .transform((v, ctx): TrustProxy => {
    if (v.toLowerCase() === 'false' || v === '0') return false;
    if (/^\d+$/.test(v)) return Number(v);
    const list = v
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);
    const bad = list.filter((e) => !isProxyEntry(e));
    if (bad.length || !list.length) {
      ctx.addIssue({
        code: 'custom',
        message: `valeur non reconnue (${bad.join(', ') || 'liste vide'}) : adresses IP, sous-réseaux CIDR, loopback, linklocal, uniquelocal, ou un nombre de sauts`,
      });
      return z.NEVER;
    }
    return list;
  })
  .default(false);

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data'),
  GEODATA_DIR: z.string().default('../shared/geodata'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Optional remote MapLibre style for the basemap; empty = fully offline map. */
  BASEMAP_STYLE_URL: z.string().url().optional(),
  /** Optional base URL of PMTiles archives (npm run export:tiles) served statically. */
  TILES_URL: z
    .string()
    .regex(/^(https?:\/\/|\/)[^\s]*$/, { message: 'URL absolue ou chemin commençant par /' })
    .optional(),
  TRUST_PROXY: trustProxySchema,
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  geodataDir: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  basemapStyleUrl: string | undefined;
  tilesUrl: string | undefined;
  trustProxy: TrustProxy;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    geodataDir: path.resolve(e.GEODATA_DIR),
    logLevel: e.LOG_LEVEL,
    basemapStyleUrl: e.BASEMAP_STYLE_URL,
    tilesUrl: e.TILES_URL?.replace(/\/$/, ''),
    trustProxy: e.TRUST_PROXY,
  };
}
