// Runtime configuration: every environment variable the app reads, with its default,
// validated once at start so a bad value stops the process with a clear message.
import path from 'node:path';
import { z } from 'zod';

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
  };
}
