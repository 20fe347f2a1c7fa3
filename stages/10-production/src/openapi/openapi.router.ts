import { type RequestHandler, Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import { ERROR_CATALOGUE } from '../errors.ts';
import { ErrorEnvelopeSchema } from '../http/envelope.schemas.ts';
import { methodNotAllowed } from '../middleware/method-not-allowed.ts';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi.document.ts';
import { API_ROUTES } from './openapi.routes.ts';

/** The `info.version` of the contract: /api/v1, and nothing removed or changed since. */
export const API_VERSION = '1.0.0';
let built: OpenApiDocument | undefined;

/** The document, generated once, on first use: from the route table and the zod schemas. */
export function apiDocument(): OpenApiDocument {
  built ??= buildOpenApiDocument({
    routes: API_ROUTES,
    catalogue: ERROR_CATALOGUE,
    errorEnvelope: ErrorEnvelopeSchema,
    version: API_VERSION,
  });
  return built;
}

/** `GET /openapi.json`, relative to `/api/v1`: the contract, as a frontend's generator reads it. */
export function openApiRoutes(): Router {
  const document = apiDocument();
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
