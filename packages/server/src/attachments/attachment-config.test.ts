import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseConfig } from '../config/load-config.js';
import { TEST_CONFIG } from '../test-support/test-server.js';

describe('attachments configuration', () => {
  it('I2: defaults to 10 MB, PNG, JPEG, GIF, WebP and PDF, and 5-minute links', () => {
    const { attachments } = parseConfig(TEST_CONFIG);
    assert.deepEqual(attachments, { maxBytes: 10 * 1024 * 1024, allowedTypes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'], linkSeconds: 300, uploadsPerChat: 30, uploadWindowMinutes: 10 });
  });

  it('I2: SVG, HTML and script types can never be allowed: the service refuses to start with them', () => {
    for (const type of ['image/svg+xml', 'text/html', 'application/javascript']) {
      assert.throws(
        () => parseConfig({ ...TEST_CONFIG, attachments: { allowedTypes: ['image/png', type] } }),
        (error: unknown) => error instanceof ConfigError && /attachments\.allowedTypes: SVG, HTML, XML and script types run script/.test(error.message),
      );
    }
    assert.throws(() => parseConfig({ ...TEST_CONFIG, attachments: { maxBytes: 0 } }), ConfigError);
    assert.deepEqual(parseConfig({ ...TEST_CONFIG, attachments: { allowedTypes: ['image/png'], maxBytes: 1024 } }).attachments.allowedTypes, ['image/png']);
  });
});
