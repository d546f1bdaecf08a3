// Gap answers kept for one data version, ready to send: the national answer is 2.7 MB of
// JSON (34,579 communes without a CLS), and serialising then compressing it again for
// every request cost more than 150 ms on the bench machine, while its figures only change
// with the data. Kept per (layer, zone): the answer, what its context reads from the data
// (zoneFacts), and its compressed bytes for each context seen last. The inventory
// declarations, which change without a new data version, are read at every request and
// are part of the bytes' key: a changed declaration is never served from old bytes.
import type { JsonEncoding } from '../compress-json.ts';
import type { ZoneFacts } from '../registry/coverage-context.ts';

interface Kept<T> {
  version: number;
  facts?: Promise<ZoneFacts>;
  body?: Promise<T>;
  /** Compressed bytes of the body with one context (its JSON), per encoding. */
  encoded?: { context: string; bytes: Map<JsonEncoding, Promise<Buffer>> };
}

export class GapAnswers<T extends object> {
  private kept = new Map<string, Kept<T>>();

  constructor(private readonly limit = 16) {}

  private entry(key: string, version: number): Kept<T> {
    const e = this.kept.get(key);
    if (e?.version === version) return e;
    const fresh: Kept<T> = { version };
    // a request begun before a change: answered, not kept over the newer answer
    if (e && e.version > version) return fresh;
    if (e) this.kept.delete(key);
    else if (this.kept.size >= this.limit) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, fresh);
    return fresh;
  }

  /** Shares one computation per version; a failed one is forgotten. */
  private share<V>(key: string, version: number, field: 'facts' | 'body', compute: () => Promise<V>): Promise<V> {
    const e = this.entry(key, version) as unknown as Record<'facts' | 'body', Promise<V> | undefined>;
    let p = e[field];
    if (!p) {
      p = compute();
      e[field] = p;
      p.catch(() => {
        if (e[field] === p) e[field] = undefined;
      });
    }
    return p;
  }

  facts(key: string, version: number, compute: () => Promise<ZoneFacts>): Promise<ZoneFacts> {
    return this.share(key, version, 'facts', compute);
  }

  body(key: string, version: number, compute: () => Promise<T>): Promise<T> {
    return this.share(key, version, 'body', compute);
  }

  /** The body with its context, serialised and compressed once per (version, context, encoding). */
  async encoded(
    key: string,
    version: number,
    context: object,
    encoding: JsonEncoding,
    compute: () => Promise<T>,
    compress: (bytes: Buffer, encoding: JsonEncoding) => Promise<Buffer>,
  ): Promise<Buffer> {
    const body = await this.body(key, version, compute);
    const e = this.entry(key, version);
    const ctx = JSON.stringify(context);
    if (!e.encoded || e.encoded.context !== ctx) e.encoded = { context: ctx, bytes: new Map() };
    const { bytes } = e.encoded;
    let out = bytes.get(encoding);
    if (!out) {
      out = compress(Buffer.from(JSON.stringify({ ...body, ...context })), encoding);
      bytes.set(encoding, out);
      out.catch(() => {
        if (bytes.get(encoding) === out) bytes.delete(encoding);
      });
    }
    return out;
  }
}
