import { type RequestHandler, Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import type { OpenApiDocument } from './openapi.document.ts';

/** `GET /openapi.json`, relative to `/api/v1`: the contract, as a frontend's generator reads it. */
export function openApiRoutes(document: OpenApiDocument): Router {
  const router = Router();
  router
    .route('/openapi.json')
    // The document as it is: not in `{ data }`, since every OpenAPI tool expects it at the top.
    .get((_req, res) => {
      res.set('Cache-Control', 'no-cache').json(document);
    })
    .all(methodNotAllowed(['GET']));
  return router;
}

/**
 * The docs page: Swagger UI from the swagger-ui-dist package (no CDN), reading the document
 * above. "Authorize" takes an access token; "Try it out" sends real requests to this server.
 */
export function docsPage(documentUrl: string): RequestHandler[] {
  return [
    ...swaggerUi.serve,
    swaggerUi.setup(undefined, {
      customSiteTitle: 'Support tickets API',
      // validatorUrl: null, or the page sends the document to validator.swagger.io for a badge.
      swaggerOptions: { url: documentUrl, validatorUrl: null, tryItOutEnabled: false },
    }),
  ];
}
