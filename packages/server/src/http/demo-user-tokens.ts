import type { FastifyInstance, RouteShorthandOptions } from 'fastify';
import { SignJWT } from 'jose';
import type { ParleyService } from '../service/parley-service.js';
import { HttpError } from './http-errors.js';

/** The demo shop's signed-in customers (I1). */
export const DEMO_USERS = [
  { id: 'dana', name: 'Dana Scully', email: 'dana@example.com', attributes: { plan: 'pro', customerSince: '2021' } },
  { id: 'fox', name: 'Fox Mulder', email: 'fox@example.com', attributes: { plan: 'free' } },
] as const;

const HOUR_SECONDS = 3600;

/**
 * Only with `--demo`: plays the demo shop's backend, which signs a user token for its signed-in
 * customer (docs/embedding.md "Verified identity" shows a site's own). Answers pages of any
 * allowed origin, so the docs' examples can sign in from theirs.
 */
export function demoUserTokenRoute(app: FastifyInstance, service: ParleyService, options: RouteShorthandOptions): void {
  const { identity } = service.context.config;
  app.get('/demo/user-token', options, async (request) => {
    const userId = (request.query as { user?: unknown }).user;
    const user = DEMO_USERS.find((candidate) => candidate.id === userId);
    if (!user || !identity.secret) throw new HttpError(404, 'not_found', 'No such demo user.');
    const now = Math.floor(service.context.clock.now() / 1000);
    const token = await new SignJWT({ name: user.name, email: user.email, attributes: user.attributes })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer(identity.issuer!)
      .setAudience(identity.audience!)
      .setIssuedAt(now)
      .setExpirationTime(now + HOUR_SECONDS)
      .sign(new TextEncoder().encode(identity.secret));
    return { token };
  });
}
