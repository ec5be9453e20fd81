import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { startTestService, type TestService } from '../test-support/test-server.js';

describe('HTTP API', () => {
  let service: TestService;
  let url: string;

  before(async () => {
    service = await startTestService({ testMode: true, allowedOrigins: ['https://shop.example'] });
    url = service.server.url;
  });
  after(() => service.close());

  it('describes every route in an OpenAPI 3.1 document that validates', async () => {
    const response = await fetch(`${url}/openapi.json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    const validator = new Validator();
    const result = await validator.validate(document as never);
    assert.deepEqual(result.errors, undefined);
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');

    const routes = service.server.routes.filter((route) => !route.hidden && !['HEAD', 'OPTIONS'].includes(route.method) && !route.url.includes('*'));
    assert.ok(routes.length >= 18, `only ${routes.length} routes`);
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      assert.ok(document.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url} is not in the document`);
    }
    // Bodies are described from the same schemas that validate them.
    const offline = document.paths['/v1/offline-messages']!.post as { requestBody: { content: { 'application/json': { schema: { required: string[] } } } } };
    assert.deepEqual(offline.requestBody.content['application/json'].schema.required.sort(), ['button', 'email', 'name', 'text']);
  });

  it('serves a readable page of the description', async () => {
    const response = await fetch(`${url}/docs`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await response.text(), /swagger-ui/i);
  });

  it('answers CORS for allowed origins on the API only, preflights included', async () => {
    const allowed = await fetch(`${url}/v1/availability?button=sales`, { headers: { origin: 'https://shop.example' } });
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'https://shop.example');
    const refused = await fetch(`${url}/v1/availability?button=sales`, { headers: { origin: 'https://evil.example' } });
    assert.equal(refused.status, 200);
    assert.equal(refused.headers.get('access-control-allow-origin'), null);
    const preflight = await fetch(`${url}/admin/read-only`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-methods') ?? '', /PUT/);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /authorization/);
    const other = await fetch(`${url}/healthz`, { headers: { origin: 'https://shop.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('refuses bodies over 64 KiB (413), bodies that are not JSON (415), and wrong methods (405), with typed errors', async () => {
    const post = (body: string, contentType = 'application/json') => fetch(`${url}/v1/offline-messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
    const huge = await post(JSON.stringify({ button: 'sales', name: 'a', email: 'a@b.co', text: 'x'.repeat(65 * 1024) }));
    assert.equal(huge.status, 413);
    assert.equal(((await huge.json()) as { error: { code: string } }).error.code, 'too_large');
    const plain = await post(JSON.stringify({ button: 'sales', name: 'a', email: 'a@b.co', text: 'x' }), 'text/plain');
    assert.equal(plain.status, 415);
    assert.equal(((await plain.json()) as { error: { code: string } }).error.code, 'bad_request');
    const wrongMethod = await fetch(`${url}/v1/availability`, { method: 'DELETE' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get('allow'), 'GET');
  });

  it('answers a plain GET of the socket path with 426 and where to look', async () => {
    const response = await fetch(`${url}/v1/socket`);
    assert.equal(response.status, 426);
    assert.equal(response.headers.get('upgrade'), 'websocket');
  });
});
