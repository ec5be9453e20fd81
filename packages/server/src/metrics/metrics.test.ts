import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { openChat } from '../test-support/chat-setup.js';
import { metricValue, parsePrometheus, scrape } from '../test-support/prometheus.js';
import { ServiceProcess } from '../test-support/service-process.js';
import { ADMIN_TOKEN, startTestService, TEST_CONFIG, type TestService } from '../test-support/test-server.js';

describe('metrics', () => {
  let service: TestService | undefined;
  let process: ServiceProcess | undefined;
  afterEach(async () => {
    await service?.close();
    await process?.kill('SIGKILL');
    service = process = undefined;
  });

  it('serves Prometheus text: connections by role, sessions by state, messages, ack latency, drains, reconnects, deadline lag, store latency, bus lag', async () => {
    service = await startTestService();
    const { customer, agent, sessionId, resumeToken } = await openChat(service);
    await customer.request({ type: 'message', cmid: 'c1', text: 'Hello' });
    await customer.request({ type: 'message', cmid: 'c1', text: 'Hello' });
    await customer.request({ type: 'message', cmid: 'c2', text: 'Anyone?' });
    await agent.request({ type: 'reply', sessionId, cmid: 'a1', text: 'Yes!' });
    await customer.close();
    const back = await service.customer('browser-1', { resumeToken });
    // S1: the customer-inactivity deadline falls due and runs.
    await service.advance(5 * 60_000);

    const response = await fetch(`${service.server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const families = parsePrometheus(text);
    const value = (name: string, labels?: Record<string, string>) => metricValue(text, name, labels);
    assert.equal(value('parley_connections', { role: 'customer' }), 1);
    assert.equal(value('parley_connections', { role: 'agent' }), 1);
    assert.equal(value('parley_sessions', { state: 'inactive' }), 1);
    assert.equal(value('parley_sessions', { state: 'waiting' }), 0);
    // The re-sent c1 is not counted twice.
    assert.equal(value('parley_messages_total', { from: 'customer' }), 2);
    assert.equal(value('parley_messages_total', { from: 'agent' }), 1);
    assert.equal(value('parley_ack_latency_seconds_count', { role: 'customer' }), 3);
    assert.equal(value('parley_ack_latency_seconds_count', { role: 'agent' }), 1);
    assert.equal(value('parley_reconnects_total', { role: 'customer' }), 1);
    assert.ok(value('parley_deadline_lag_seconds_count')! >= 1);
    assert.ok(value('parley_store_seconds_count', { operation: 'appendEvent' })! >= 4);
    assert.ok(value('parley_bus_lag_seconds_count')! > 0);
    assert.ok(value('parley_process_resident_memory_bytes')! > 0);
    for (const name of ['connections', 'sessions', 'messages_total', 'ack_latency_seconds', 'drains_total', 'reconnects_total', 'deadline_lag_seconds', 'store_seconds', 'bus_lag_seconds']) {
      const family = families.find((candidate) => candidate.name === `parley_${name}`);
      assert.ok(family && family.help.length > 0, `parley_${name} is missing or has no help`);
    }
    await back.close();

    await service.server.drain();
    assert.equal(metricValue(await scrape(`${service.server.url}/metrics`, ADMIN_TOKEN), 'parley_drains_total'), 1);
  });

  it('keeps /metrics behind the admin token on the main port', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'parley-metrics-'));
    const file = join(folder, 'parley.json');
    await writeFile(file, JSON.stringify({ ...TEST_CONFIG, databasePath: join(folder, 'parley.db') }));
    process = await ServiceProcess.start(file);
    assert.equal((await fetch(`${process.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${process.url}/metrics`, { headers: { authorization: 'Bearer not-the-admin-token' } })).status, 401);
    assert.ok(metricValue(await scrape(`${process.url}/metrics`, ADMIN_TOKEN), 'parley_connections', { role: 'customer' }) === 0);
  });

  it('serves /metrics on an address of its own when configured, and not on the main port', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'parley-metrics-'));
    const file = join(folder, 'parley.json');
    await writeFile(file, JSON.stringify({ ...TEST_CONFIG, databasePath: join(folder, 'parley.db'), metrics: { port: 0 } }));
    process = await ServiceProcess.start(file);
    await process.outputMatching(/metrics \(Prometheus\): (\S+)/);
    const metricsUrl = /metrics \(Prometheus\): (\S+)/.exec(process.output.text)![1]!;
    assert.notEqual(new URL(metricsUrl).port, new URL(process.url).port);
    assert.equal(metricValue(await scrape(metricsUrl), 'parley_connections', { role: 'agent' }), 0);
    const main = await fetch(`${process.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    assert.equal(main.status, 404);
  });
});
