// JSON answers of the API over 1 kB leave compressed (brotli, else gzip) when the client
// accepts it: gap lists, sheets and GeoJSON shrink several times. Tiles never come here
// (they are answered already gzipped, server/routes/tiles.ts), nor does anything already
// encoded or streamed. A route keeping its answers compressed (national gaps) sets
// Content-Encoding itself and passes through.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Request, RequestHandler } from 'express';

export const MIN_COMPRESSED_BYTES = 1024;
const JSON_TYPE = /^application\/([a-z.+-]+\+)?json\b/;
const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

export type JsonEncoding = 'br' | 'gzip';

/** The encoding a JSON answer leaves in for this request (brotli, else gzip), or null. */
export function jsonEncoding(req: Request): JsonEncoding | null {
  const accept = String(req.headers['accept-encoding'] ?? '');
  return /\bbr\b/.test(accept) ? 'br' : /\bgzip\b/.test(accept) ? 'gzip' : null;
}

/** A JSON body compressed as the middleware does it (routes that keep compressed answers use it too). */
export function compressBody(bytes: Buffer, encoding: JsonEncoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
    : gz(bytes, { level: 6 });
}

/** Wraps res.send: bodies of JSON answers over MIN_COMPRESSED_BYTES are compressed before sending. */
export const compressJson: RequestHandler = (req, res, next) => {
  const encoding = jsonEncoding(req);
  if (!encoding) return next();
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    const type = String(res.getHeader('Content-Type') ?? '');
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.isBuffer(body) ? body : null;
    if (!bytes || bytes.length < MIN_COMPRESSED_BYTES || !JSON_TYPE.test(type) || res.getHeader('Content-Encoding')) return send(body);
    res.send = send;
    compressBody(bytes, encoding).then(
      (out) => {
        res.setHeader('Content-Encoding', encoding);
        res.vary('Accept-Encoding');
        send(out);
      },
      () => send(bytes),
    );
    return res;
  };
  next();
};
