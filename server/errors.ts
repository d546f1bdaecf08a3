// One error type for the whole API and one handler that turns any error into an
// RFC 9457 problem+json answer with a French `detail`. Errors caused by the request
// (body parsing, charsets, encodings, malformed escapes, values the database refuses)
// become a 4xx here, centrally, whatever route raised them; a database outage becomes a
// 503 with Retry-After. Only unexpected errors become a 500, whose detail reveals
// nothing of the internals: they are logged (with a budget per client), client errors
// are not (the request line says enough).
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { z, ZodError } from 'zod';
import { fieldLabel } from '../contract/field-labels.ts';
import { clientOf, LogBudget } from './request-log.ts';

// zod's own messages (a schema without a custom message) in French
z.config(z.locales.fr());

const TITLES: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Authentification requise',
  403: 'Accès refusé',
  404: 'Introuvable',
  405: 'Méthode non autorisée',
  408: 'Délai dépassé',
  409: 'Conflit',
  411: 'Longueur requise',
  413: 'Requête trop volumineuse',
  415: 'Format non pris en charge',
  422: 'Données invalides',
  428: 'Condition requise',
  429: 'Trop de requêtes',
  431: 'En-têtes trop volumineux',
  500: 'Erreur interne',
  503: 'Service indisponible',
};

/** Seconds a client should wait before retrying after a database outage. */
export const OUTAGE_RETRY_AFTER_S = 10;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
}

export const notFound = (detail: string, extra?: Record<string, unknown>) => new HttpError(404, detail, extra);
export const badRequest = (detail: string, extra?: Record<string, unknown>) => new HttpError(400, detail, extra);

/**
 * French message for a zod failure, naming each offending field by what it stands for
 * ("la recherche : …"), never by its raw name; lower-case start, no final stop, so it can
 * be embedded ("ligne 3 : …").
 */
export function describeZodError(err: ZodError): string {
  return err.issues.map((i) => (i.path.length ? `${fieldLabel(i.path)} : ${i.message}` : i.message)).join(' ; ');
}

/** The offending fields of a zod failure for programs (RFC 9457 extension member): raw name and reason. */
export function invalidParamsOf(err: ZodError): { name: string; reason: string }[] {
  return err.issues.map((i) => ({ name: i.path.map(String).join('.'), reason: i.message }));
}

/** A sentence: capital first letter, final stop. */
const sentence = (text: string) => {
  const s = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?…]$/.test(s) ? s : `${s}.`;
};

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(notFound(`Aucune ressource à l'adresse ${req.path.length > 200 ? `${req.path.slice(0, 200)}…` : req.path}.`));
};

type Failure = Error & {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  code?: string;
  charset?: string;
  encoding?: string;
  limit?: number;
};

const OUTAGE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);
const OUTAGE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|PGlite is closed|embedded database stopped/i;

/** SQLSTATE (or network error) of a database outage: the request may succeed later. */
function isOutage(err: Failure): boolean {
  const code = err.code ?? '';
  return (
    OUTAGE_CODES.has(code) ||
    /^08/.test(code) || // connection exception
    /^57P0[1-3]$/.test(code) || // admin shutdown, crash shutdown, cannot connect now
    code === '53300' || // too many connections
    code === '57014' || // statement cancelled (timeout)
    code === '40001' || // serialisation failure
    code === '40P01' || // deadlock
    code === '53200' || // out of memory
    OUTAGE_MESSAGES.test(err.message ?? '')
  );
}

/** A value the database refused (SQLSTATE class 22, data exception): it came from the request. */
function dataException(err: Failure): HttpError | null {
  const code = err.code ?? '';
  if (!/^22[0-9A-Z]{3}$/.test(code)) return null;
  const what: Record<string, string> = {
    '22001': 'un texte est trop long',
    '22003': 'un nombre est hors des limites acceptées',
    '22007': 'une date est mal formée',
    '22008': 'une date est hors des limites acceptées',
    '22021': 'un texte contient un caractère interdit (caractère nul ou encodage invalide)',
    '22P02': 'une valeur n’a pas le format attendu',
    '22P05': 'un texte contient un caractère interdit (caractère nul ou séquence Unicode invalide)',
  };
  return new HttpError(422, `Valeur refusée : ${what[code] ?? 'une valeur envoyée est invalide'}.`);
}

/** The problem an error stands for, or null if it is unexpected (a bug: 500). */
export function problemOf(raw: unknown): HttpError | null {
  if (raw instanceof HttpError) return raw;
  if (raw instanceof ZodError) return new HttpError(400, sentence(describeZodError(raw)), { invalidParams: invalidParamsOf(raw) });
  if (!raw || typeof raw !== 'object') return null;
  const err = raw as Failure;
  switch (err.type) {
    case 'entity.parse.failed':
      return badRequest('Le corps de la requête n’est pas un JSON valide.');
    case 'entity.too.large':
      return new HttpError(
        413,
        `Le corps de la requête est trop volumineux${err.limit ? ` (limite : ${Math.round(err.limit / 1024).toLocaleString('fr-FR')} ko)` : ''}.`,
      );
    case 'charset.unsupported':
      return new HttpError(
        415,
        `Jeu de caractères « ${String(err.charset ?? '').slice(0, 40)} » non pris en charge : envoyez le corps en UTF-8.`,
      );
    case 'encoding.unsupported':
      return new HttpError(
        415,
        `Content-Encoding « ${String(err.encoding ?? '').slice(0, 40)} » non pris en charge : gzip, deflate, br ou aucun.`,
      );
    case 'request.aborted':
      return badRequest('Requête interrompue avant la fin de son corps.');
    case 'request.size.invalid':
      return badRequest('La longueur du corps ne correspond pas à l’en-tête Content-Length.');
    case 'parameters.too.many':
      return new HttpError(413, 'Trop de paramètres dans le corps de la requête.');
  }
  if (raw instanceof URIError) return badRequest('Adresse ou en-tête mal encodé : séquence « % » invalide.');
  if (raw instanceof RangeError && /call stack/i.test(err.message)) {
    return new HttpError(422, 'Données trop imbriquées pour être traitées.');
  }
  if (isOutage(err)) {
    return new HttpError(
      503,
      'La base de données ne répond pas pour le moment : réessayez dans quelques secondes.',
      {},
      {
        'Retry-After': String(OUTAGE_RETRY_AFTER_S),
      },
    );
  }
  const data = dataException(err);
  if (data) return data;
  const status = err.status ?? err.statusCode;
  // http-errors raised by Express's own layers (body reading, decompression, static files)
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 400) return badRequest('Requête illisible : corps ou en-têtes mal formés (compression ou encodage invalide ?).');
    return new HttpError(status, TITLES[status] ? `${TITLES[status]}.` : 'Requête refusée.');
  }
  return null;
}

/** The problem+json body of an answer. */
export function problemBody(problem: HttpError, instance: string): string {
  return JSON.stringify({
    type: 'about:blank',
    title: TITLES[problem.status] ?? 'Erreur',
    status: problem.status,
    detail: problem.detail,
    instance: instance.length > 300 ? `${instance.slice(0, 300)}…` : instance,
    ...problem.extra,
  });
}

export function errorHandler(log: (err: unknown, req: Request) => void): ErrorRequestHandler {
  // a burst of failing requests from one client logs a few stacks, not thousands
  const budget = new LogBudget(5, 50);
  return (err, req, res, _next) => {
    const problem = problemOf(err) ?? new HttpError(500, 'Une erreur inattendue est survenue ; elle a été consignée.');
    // server-side failures (bugs, outages) are logged; client errors are not
    if (problem.status >= 500 && budget.take(clientOf(req)).allowed) log(err, req);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(problem.status).set(problem.headers).type('application/problem+json').send(problemBody(problem, req.originalUrl));
  };
}
