import { toJsonSchema } from '@valibot/to-json-schema';
import type { FastifySchemaCompiler } from 'fastify';
import * as v from 'valibot';

type JsonSchema = Record<string, unknown>;

/** The valibot schema each generated JSON Schema came from: validation runs on valibot, the document shows the JSON Schema. */
const sources = new WeakMap<object, v.GenericSchema>();

/**
 * The JSON Schema (2020-12, as OpenAPI 3.1 uses) of a valibot schema, for a
 * route's `schema`. Requests are still validated by valibot itself (see
 * `valibotValidator`), so trimming, defaults and every check are the same as
 * on the socket; the JSON Schema only describes the route.
 */
export function jsonSchemaOf(schema: v.GenericSchema): JsonSchema {
  // Transformations (trim) have no JSON Schema form; the description keeps the checks around them.
  const { $schema: _dialect, ...json } = toJsonSchema(schema, { target: 'draft-2020-12', errorMode: 'ignore' }) as JsonSchema;
  sources.set(json, schema);
  return json;
}

/** Fastify's validator compiler, backed by the valibot schema behind each route schema. */
export const valibotValidator: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const source = sources.get(schema as object);
  if (!source) throw new Error(`A route schema (${httpPart}) was not made by jsonSchemaOf.`);
  return (data: unknown) => {
    // An empty JSON body is an empty object, as it always was.
    const result = v.safeParse(source, data ?? {});
    return result.success ? { value: result.output } : { error: new Error(v.summarize(result.issues)) };
  };
};
