// Checks at the door, before any route: an address with a malformed "%" escape or a NUL
// character, a JSON body nested too deep or holding strings the database cannot store
// (NUL, lone UTF-16 surrogates), and requests the HTTP parser itself refuses (oversized
// headers, broken framing) all get a French 4xx problem instead of reaching a route —
// where they used to end as 500s (a failed decodeURIComponent, a PostgreSQL "invalid
// byte sequence").
import type { Duplex } from 'node:stream';
import type { RequestHandler } from 'express';
import { fieldLabel } from '../contract/field-labels.ts';
import { badRequest, HttpError, problemBody } from './errors.ts';

/** Nesting of a JSON body: no payload of the API goes past 6. */
export const MAX_BODY_DEPTH = 32;

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Refuses an address whose escapes do not decode to valid UTF-8, or that holds a NUL character. */
export const rejectMalformedUrl: RequestHandler = (req, _res, next) => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.url);
  } catch {
    return next(badRequest('Adresse mal encodée : séquence « % » invalide (UTF-8 attendu).'));
  }
  if (NUL.test(decoded)) return next(badRequest('Adresse refusée : elle contient un caractère nul (%00).'));
  next();
};

// where the bad text is, in words ("dans le nom"); the raw path goes to programs in invalidParams
const describePath = (path: (string | number)[]) => (path.length ? ` dans ${fieldLabel(path)}` : '');
const paramsOf = (path: (string | number)[], reason: string) =>
  path.length ? { invalidParams: [{ name: path.join('.').slice(0, 200), reason }] } : {};

/** Finds the first string (value or key) of a parsed JSON body the database could not store; iterative, so any depth is safe. */
export function checkJsonStrings(body: unknown): HttpError | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: body, path: [] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (path.length > MAX_BODY_DEPTH) {
      return new HttpError(400, `Corps JSON refusé : plus de ${MAX_BODY_DEPTH} niveaux d’imbrication.`);
    }
    if (typeof value === 'string') {
      if (NUL.test(value))
        return new HttpError(400, `Texte refusé : caractère nul (\\u0000)${describePath(path)}.`, paramsOf(path, 'caractère nul'));
      if (LONE_SURROGATE.test(value))
        return new HttpError(
          400,
          `Texte refusé : séquence Unicode invalide (surrogat isolé)${describePath(path)}.`,
          paramsOf(path, 'surrogat isolé'),
        );
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => stack.push({ value: v, path: [...path, i] }));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (NUL.test(k) || LONE_SURROGATE.test(k))
          return new HttpError(400, `Nom de champ refusé : caractère nul ou séquence Unicode invalide.`);
        stack.push({ value: v, path: [...path, k] });
      }
    }
  }
  return null;
}

/** After express.json: refuses a body with strings the database cannot store. */
export const rejectBadStrings: RequestHandler = (req, _res, next) => {
  if (req.body === undefined || req.body === null || Buffer.isBuffer(req.body)) return next();
  const problem = checkJsonStrings(req.body);
  next(problem ?? undefined);
};

/** The answer to a request Node's HTTP parser refused (Express never sees it). */
export function answerClientError(err: Error & { code?: string }, socket: Duplex, headers: Record<string, string> = {}): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const problem =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? new HttpError(431, 'En-têtes de la requête trop volumineux.')
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new HttpError(408, 'La requête n’est pas arrivée à temps.')
        : new HttpError(400, 'Requête HTTP mal formée.');
  const body = problemBody(problem, '');
  const lines = [
    `HTTP/1.1 ${problem.status} ${problem.status === 431 ? 'Request Header Fields Too Large' : problem.status === 408 ? 'Request Timeout' : 'Bad Request'}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
