import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, parseConfig } from './load-config.js';

const minimal = {
  offices: [{ id: 'north', name: 'North' }],
  buttons: [{ id: 'sales', name: 'Sales', office: 'north' }],
  agents: [{ id: 'ana', name: 'Ana', offices: ['north'] }],
};
const SECRET = 'site-identity-secret-0123456789-0123456789';

describe('identity configuration', () => {
  it('I1: is off by default, and set from the file or the PARLEY_IDENTITY_* variables', () => {
    assert.deepEqual(parseConfig(minimal).identity, { required: false });
    const config = loadConfig({
      base: { ...minimal, identity: { issuer: 'https://shop.example' } },
      env: { PARLEY_IDENTITY_SECRET: SECRET, PARLEY_IDENTITY_AUDIENCE: 'parley:shop', PARLEY_IDENTITY_REQUIRED: 'true' },
    });
    assert.deepEqual(config.identity, { secret: SECRET, issuer: 'https://shop.example', audience: 'parley:shop', required: true });
    const jwks = loadConfig({
      base: minimal,
      env: { PARLEY_IDENTITY_JWKS_URL: 'https://shop.example/.well-known/jwks.json', PARLEY_IDENTITY_ISSUER: 'https://shop.example', PARLEY_IDENTITY_AUDIENCE: 'parley:shop' },
    });
    assert.equal(jwks.identity.jwksUrl, 'https://shop.example/.well-known/jwks.json');
  });

  it('I1: refuses a short secret, a secret with a JWKS, a JWKS without issuer and audience, and required without any key', () => {
    const refused = (identity: object, pattern: RegExp) =>
      assert.throws(() => parseConfig({ ...minimal, identity }), (error: unknown) => error instanceof ConfigError && pattern.test(error.message), JSON.stringify(identity));
    refused({ secret: 'short' }, /identity\.secret must be at least 32 characters/);
    refused({ secret: SECRET, jwksUrl: 'https://shop.example/jwks.json', issuer: 'a', audience: 'b' }, /not both/);
    refused({ jwksUrl: 'https://shop.example/jwks.json' }, /set issuer and audience/);
    refused({ jwksUrl: 'file:///etc/passwd', issuer: 'a', audience: 'b' }, /jwksUrl must be http/);
    refused({ required: true }, /no user could ever chat/);
    refused({ secret: SECRET, algorithms: ['none'] }, /algorithms/);
  });
});
