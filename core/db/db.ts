// The one database interface the rest of the code sees. Two implementations:
// PostgreSQL + PostGIS through `pg` (DATABASE_URL set) and embedded PGlite + PostGIS.
// SQL written against it must run on both (PostGIS 3.3 / PG 15 and PostGIS 3.6 / PG 18).

export type Row = Record<string, unknown>;

export interface Queryable {
  /** One parameterised statement; rows as plain objects. */
  query<T extends object = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements without parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

/** What the health check can tell without queueing a statement behind a long one. */
export interface DbActivity {
  /** Statements sent and not answered yet. */
  inFlight: number;
  /** When the database last answered anything (ms since the epoch). */
  lastContactAt: number | null;
}

export interface Db extends Queryable {
  readonly kind: 'postgis' | 'pglite';
  /** Runs fn inside BEGIN/COMMIT; any throw rolls everything back. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  activity(): DbActivity;
  /**
   * Calls onNotify on each NOTIFY of this channel from any connection, reconnecting after
   * a loss (and calling onNotify then, for what it missed). PostgreSQL only: the embedded
   * database has one process, nobody else to hear from. Resolves to a stop function.
   */
  listen?(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
}

export async function openDb(options: DbOptions): Promise<Db> {
  if (options.databaseUrl) {
    const { openPostgis } = await import('./postgis.ts');
    return openPostgis(options.databaseUrl);
  }
  const { openPglite } = await import('./pglite.ts');
  return openPglite(options.dataDir);
}
