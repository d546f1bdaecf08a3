// GET /api/openapi.json (the OpenAPI 3.1 document) and GET /api/docs (its readable page),
// both built once from the contract at start.
import { Router } from 'express';
import { docsHtml } from '../openapi/docs-page.ts';
import { openApiDocument } from '../openapi/document.ts';

export function openApiRoutes(): Router {
  const router = Router();
  const doc = openApiDocument();
  const json = JSON.stringify(doc);
  const html = docsHtml(doc);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').set('Cache-Control', 'public, max-age=300').send(json);
  });
  router.get('/docs', (_req, res) => {
    res.type('text/html; charset=utf-8').set('Cache-Control', 'public, max-age=300').send(html);
  });
  return router;
}
