// One error type for the whole API and one handler that turns any error into an
// RFC 9457 problem+json answer with a French `detail`. Unexpected errors become a 500
// whose detail reveals nothing of the internals (they are logged instead).
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';

const TITLES: Record<number, string> = {
  400: 'Requête invalide',
  401: 'Authentification requise',
  403: 'Accès refusé',
  404: 'Introuvable',
  409: 'Conflit',
  413: 'Requête trop volumineuse',
  422: 'Données invalides',
  500: 'Erreur interne',
  503: 'Service indisponible',
};

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

export const notFound = (detail: string, extra?: Record<string, unknown>) => new HttpError(404, detail, extra);
export const badRequest = (detail: string, extra?: Record<string, unknown>) => new HttpError(400, detail, extra);

/** French message for a zod failure, naming each offending parameter. */
export function describeZodError(err: ZodError): string {
  return err.issues
    .map((i) => {
      const where = i.path.length ? `« ${i.path.join('.')} » : ` : '';
      return `${where}${i.message}`;
    })
    .join(' ; ');
}

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(notFound(`Aucune ressource à l'adresse ${req.path}.`));
};

export function errorHandler(log: (err: unknown, req: { method: string; url: string }) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let problem: HttpError;
    if (err instanceof HttpError) problem = err;
    else if (err instanceof ZodError) problem = new HttpError(400, describeZodError(err));
    else if ((err as { type?: string }).type === 'entity.parse.failed')
      problem = badRequest('Le corps de la requête n’est pas un JSON valide.');
    else if ((err as { type?: string }).type === 'entity.too.large')
      problem = new HttpError(413, 'Le corps de la requête est trop volumineux.');
    else {
      log(err, req);
      problem = new HttpError(500, 'Une erreur inattendue est survenue ; elle a été consignée.');
    }
    res
      .status(problem.status)
      .type('application/problem+json')
      .send(
        JSON.stringify({
          type: 'about:blank',
          title: TITLES[problem.status] ?? 'Erreur',
          status: problem.status,
          detail: problem.detail,
          instance: req.originalUrl,
          ...problem.extra,
        }),
      );
  };
}
