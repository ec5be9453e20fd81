import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, parseConfig } from './load-config.js';

const minimal = {
  offices: [{ id: 'north', name: 'North' }],
  buttons: [{ id: 'sales', name: 'Sales', office: 'north' }],
  agents: [{ id: 'ana', name: 'Ana', offices: ['north'] }],
};

describe('configuration', () => {
  it('fills every default from a minimal configuration', () => {
    const config = parseConfig(minimal);
    assert.equal(config.port, 8787);
    assert.equal(config.presence.idleMinutes, 60);
    assert.equal(config.presence.disconnectGraceSeconds, 120);
    assert.equal(config.lifecycle.inactiveEndHours, 24);
    assert.equal(config.lifecycle.customerInactivityMinutes, null);
  });

  it('S9: refuses customer inactivity combined with status-based capacity, with a clear message', () => {
    assert.throws(
      () => parseConfig({ ...minimal, lifecycle: { customerInactivityMinutes: 10 }, capacity: { model: 'status-based' } }),
      (error: unknown) => error instanceof ConfigError && /cannot be combined with status-based capacity/.test(error.message),
    );
    assert.doesNotThrow(() => parseConfig({ ...minimal, lifecycle: { customerInactivityMinutes: 10 } }));
  });

  it('S1, S5, S6: refuses values outside the allowed ranges', () => {
    for (const lifecycle of [{ customerInactivityMinutes: 4 }, { customerInactivityMinutes: 31 }, { inactiveEndHours: 31 }, { enhancedNoReplyHours: 47 }]) {
      assert.throws(() => parseConfig({ ...minimal, lifecycle }), ConfigError, JSON.stringify(lifecycle));
    }
  });

  it('refuses unknown fields, dangling references and duplicates, naming each', () => {
    assert.throws(() => parseConfig({ ...minimal, prot: 1 }), /prot/);
    assert.throws(() => parseConfig({ ...minimal, buttons: [{ id: 'b', name: 'B', office: 'nowhere' }] }), /buttons\.0\.office: no office "nowhere"/);
    assert.throws(() => parseConfig({ ...minimal, agents: [...minimal.agents, ...minimal.agents] }), /agents: "ana" appears twice/);
    assert.throws(() => parseConfig({ ...minimal, agents: [{ ...minimal.agents[0], defaultStatus: 'dancing' }] }), /no status "dancing"/);
  });

  it('applies the environment over the file, and validates the result', () => {
    const config = loadConfig({ base: minimal, env: { PORT: '9000', PARLEY_ALLOWED_ORIGINS: 'https://a.example, https://b.example' } });
    assert.equal(config.port, 9000);
    assert.deepEqual(config.allowedOrigins, ['https://a.example', 'https://b.example']);
    assert.throws(() => loadConfig({ base: minimal, env: { PORT: 'eighty' } }), /port/);
    assert.throws(() => loadConfig({ file: '/nonexistent/parley.json' }), /Cannot read the configuration file/);
  });

  it('N1: nodes share a bus prefix (default parley, PARLEY_BUS_PREFIX), and a prefix Redis channels cannot carry is refused', () => {
    const cluster = { ...minimal, databaseUrl: 'postgres://db/parley', busUrl: 'redis://bus:6379' };
    assert.equal(parseConfig(cluster).busPrefix, 'parley');
    assert.equal(loadConfig({ base: cluster, env: { PARLEY_BUS_PREFIX: 'shop-eu' } }).busPrefix, 'shop-eu');
    assert.throws(() => parseConfig({ ...cluster, busPrefix: 'has space' }), (error: unknown) => error instanceof ConfigError && /busPrefix/.test(error.message));
  });
});
