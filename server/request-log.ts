// One log line per request, with the lines of failed requests rationed: an abusive
// client sending thousands of bad requests a second must not fill the disk (the audit
// saw 11 MB of log in 5 s). Successful requests are always logged; answers >= 400 are
// logged up to a budget per client and per window, plus a global budget (spoofed or
// many addresses), and the lines left out are counted in a summary logged with the
// first failed request of the next window.
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';

/** Lines of failed requests logged per client and per window. */
export const ERROR_LINES_PER_CLIENT = 20;
/** Lines of failed requests logged per window, all clients together. */
export const ERROR_LINES_PER_WINDOW = 200;
export const LOG_WINDOW_MS = 10_000;
/** Clients remembered in one window (beyond, they share the global budget only). */
const MAX_CLIENTS = 10_000;

/** The address a request comes from (Express's req.ip honours TRUST_PROXY when set). */
export function clientOf(req: IncomingMessage): string {
  return (req as { ip?: string }).ip ?? req.socket.remoteAddress ?? 'inconnu';
}

/** A budget of lines per key and in total, renewed every window. */
export class LogBudget {
  private windowStart = 0;
  private total = 0;
  private perClient = new Map<string, number>();
  private suppressed = new Map<string, number>();

  constructor(
    private readonly perKey = ERROR_LINES_PER_CLIENT,
    private readonly perWindow = ERROR_LINES_PER_WINDOW,
    private readonly windowMs = LOG_WINDOW_MS,
    private readonly now = () => Date.now(),
  ) {}

  /** Whether a line for this key may be written; `ended` lists the keys whose lines were left out in the window that just ended. */
  take(key: string): { allowed: boolean; ended: [string, number][] } {
    const t = this.now();
    let ended: [string, number][] = [];
    if (t - this.windowStart >= this.windowMs) {
      ended = [...this.suppressed];
      this.windowStart = t;
      this.total = 0;
      this.perClient.clear();
      this.suppressed.clear();
    }
    const used = this.perClient.get(key) ?? 0;
    const allowed = used < this.perKey && this.total < this.perWindow;
    if (allowed) {
      this.total++;
      if (this.perClient.size < MAX_CLIENTS || this.perClient.has(key)) this.perClient.set(key, used + 1);
    } else if (this.suppressed.size < MAX_CLIENTS || this.suppressed.has(key)) {
      this.suppressed.set(key, (this.suppressed.get(key) ?? 0) + 1);
    }
    return { allowed, ended };
  }
}

/** The request logger of the server: call it when the answer is sent. */
export function requestLogger(logger: Logger): (req: IncomingMessage, url: string, status: number, start: bigint) => void {
  const budget = new LogBudget();
  return (req, url, status, start) => {
    const ms = Math.round((Number(process.hrtime.bigint() - start) / 1e6) * 10) / 10;
    // a hostile URL may be long: the log keeps its beginning
    const line = { method: req.method, url: url.length > 300 ? `${url.slice(0, 300)}…` : url, status, ms };
    if (status < 400) {
      logger.info(line, 'request');
      return;
    }
    const { allowed, ended } = budget.take(clientOf(req));
    if (ended.length) {
      const top = ended.sort((a, b) => b[1] - a[1]).slice(0, 10);
      const others = ended.slice(10).reduce((n, [, c]) => n + c, 0);
      logger.warn({ clients: Object.fromEntries(top), others }, 'failed requests not logged (rate limit of the log)');
    }
    if (allowed) logger.info({ ...line, client: clientOf(req) }, 'request');
  };
}
