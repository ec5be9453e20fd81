import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { PROTOCOL_VERSION } from '@parley/protocol';

/**
 * The OpenAPI 3.1 description of every HTTP route, generated from the routes'
 * own schemas: served at /openapi.json, readable at /docs. Register before
 * the routes, which it collects as they are added.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Parley chat service',
        version: `${PROTOCOL_VERSION}`,
        description:
          'The HTTP side of the Parley service: public reads for pages and the SDK, the admin API, operations. ' +
          'The WebSocket protocol at /v1/socket is described in docs/protocol.md. Errors are `{"error": {"code", "message"}}`.',
      },
      tags: [
        { name: 'public', description: 'For pages and the SDK; CORS for the allowed origins.' },
        { name: 'admin', description: 'The admin API, behind the admin token.' },
        { name: 'operations', description: 'Health, readiness, metrics and this description.' },
        { name: 'test', description: 'Test mode only.' },
      ],
      components: {
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer', description: 'The configured admin token.' },
          resumeToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "The session's resume token." },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: false } });
  app.get('/openapi.json', { schema: { tags: ['operations'], summary: 'This description (OpenAPI 3.1).' } }, async () => app.swagger());
}
