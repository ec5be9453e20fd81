import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OriginPolicy } from '../transport/origins.js';

/**
 * CORS for the allowed origins: the public API for pages, the admin API for
 * consoles served elsewhere. Safe for the admin API too: it takes a bearer
 * token, never cookies. Every other path answers no CORS at all.
 */
export async function registerCors(app: FastifyInstance, origins: OriginPolicy): Promise<void> {
  await app.register(cors, {
    delegator: async (request: FastifyRequest) => {
      const path = request.url.split('?')[0] ?? '';
      // The demo's user tokens (I1) too: the docs' examples sign in from pages of their own origin.
      const api = path.startsWith('/v1/') || path.startsWith('/admin/') || path === '/demo/user-token';
      const origin = request.headers.origin;
      if (!api || !origin || !origins.allows(origin)) return { origin: false };
      return { origin, methods: ['GET', 'POST', 'PUT', 'DELETE'], allowedHeaders: ['authorization', 'content-type'], maxAge: 600 };
    },
  });
}
