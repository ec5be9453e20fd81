import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as v from 'valibot';
import { jsonSchemaOf } from './schema.js';

type Parsed<S> = S extends v.GenericSchema ? v.InferOutput<S> : undefined;

/** What a route's answer is: a JSON body described by a schema, or another media type. */
export type Answer = v.GenericSchema | { mediaType: string; description: string };

/** One HTTP route: its inputs and answers as valibot schemas, so it is validated and described from one source. */
export interface RouteSpec<B, Q, P> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  tag: 'public' | 'admin' | 'operations' | 'test';
  summary: string;
  description?: string;
  /** The bearer token the route takes, as named in the OpenAPI document's security schemes. */
  security?: 'adminToken' | 'resumeToken';
  /** Runs before anything else about the request (authorization); throws an HttpError to refuse. */
  guard?: (request: FastifyRequest) => void | Promise<void>;
  body?: B;
  /** Largest body this route reads, when not the app's (a raw upload). */
  bodyLimit?: number;
  query?: Q;
  params?: P;
  answers: Record<number, Answer>;
  handler(input: { body: Parsed<B>; query: Parsed<Q>; params: Parsed<P>; request: FastifyRequest; reply: FastifyReply }): Promise<unknown>;
}

function describeAnswer(answer: Answer, status: number): Record<string, unknown> {
  const description = status < 300 ? 'Done.' : 'A typed error.';
  if ('mediaType' in answer) return { description: answer.description, content: { [answer.mediaType]: { schema: { type: 'string' } } } };
  return { description, content: { 'application/json': { schema: jsonSchemaOf(answer) } } };
}

export function route<B extends v.GenericSchema | undefined = undefined, Q extends v.GenericSchema | undefined = undefined, P extends v.GenericSchema | undefined = undefined>(
  app: FastifyInstance,
  spec: RouteSpec<B, Q, P>,
): void {
  const { guard } = spec;
  app.route({
    method: spec.method,
    url: spec.url,
    schema: {
      tags: [spec.tag],
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.security ? { security: [{ [spec.security]: [] }] } : {}),
      ...(spec.body ? { body: jsonSchemaOf(spec.body) } : {}),
      ...(spec.query ? { querystring: jsonSchemaOf(spec.query) } : {}),
      ...(spec.params ? { params: jsonSchemaOf(spec.params) } : {}),
      response: Object.fromEntries(Object.entries(spec.answers).map(([status, answer]) => [status, describeAnswer(answer, Number(status))])),
    },
    ...(spec.bodyLimit !== undefined ? { bodyLimit: spec.bodyLimit } : {}),
    ...(guard ? { onRequest: async (request: FastifyRequest) => guard(request) } : {}),
    handler: async (request, reply) =>
      spec.handler({ body: request.body as Parsed<B>, query: request.query as Parsed<Q>, params: request.params as Parsed<P>, request, reply }),
  });
}
