import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { TEST_REDIS_URL, testBusPrefix } from '../test-support/redis.js';
import { startTestNodes, type TestNodes } from '../test-support/test-nodes.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const MESSAGES = 10;

describe('D5: webhooks on several nodes', { timeout: 120_000 }, () => {
  let cluster: TestNodes;
  let receiver: WebhookReceiver;
  afterEach(async () => {
    await cluster.close();
    await receiver.close();
  });

  const settled = () => Promise.all(cluster.nodes.map((node) => node.server.service.webhooks.settled()));
  /** Every node runs what is due at once (as they do on a shared clock), then every attempt's outcome is stored. */
  const everyNodeRunsDue = async () => {
    await settled();
    await Promise.all(cluster.nodes.map((node) => node.server.service.context.deadlines.runDue()));
    await settled();
  };
  const attemptsById = () => {
    const counts = new Map<string, number[]>();
    for (const request of receiver.requests) {
      const id = String(request.headers['parley-delivery-id']);
      counts.set(id, [...(counts.get(id) ?? []), request.answered]);
    }
    return counts;
  };

  it('D5: three nodes, one change queued once (by the node that made it), each attempt claimed by one node', async () => {
    cluster = await startTestNodes(3, { busUrl: TEST_REDIS_URL, busPrefix: testBusPrefix('webhooks') });
    receiver = await startWebhookReceiver();
    receiver.status = 500;
    const [first, second] = cluster.nodes;
    const created = await first!.admin('POST', '/admin/webhooks', { url: receiver.url, events: ['session.started', 'session.message'] });
    assert.equal(created.status, 201);

    // The subscription made on the first node, the chat on the second: the second hears of it on the bus.
    const ana = await second!.agent('ana');
    await ana.request({ type: 'presence', status: 'available' });
    const customer = await second!.customer('browser-1');
    await customer.request({ type: 'start', prechat: { name: 'Dana' } });
    for (let index = 0; index < MESSAGES; index++) await customer.request({ type: 'message', cmid: `c-${index}`, text: `Message ${index}` });

    await everyNodeRunsDue();
    const log = (await first!.admin('GET', `/admin/webhooks/${created.body.id as string}/deliveries`)).body.deliveries as Array<{ id: string; status: string; attempts: number }>;
    assert.deepEqual(cluster.errors(), []);
    assert.equal(log.length, 1 + MESSAGES);
    assert.deepEqual([...attemptsById().values()], log.map(() => [500]));

    receiver.status = 204;
    await cluster.advance(30_000);
    await everyNodeRunsDue();
    assert.equal(attemptsById().size, 1 + MESSAGES);
    assert.deepEqual([...attemptsById().values()], log.map(() => [500, 204]));
    const after = (await first!.admin('GET', `/admin/webhooks/${created.body.id as string}/deliveries`)).body.deliveries as Array<{ status: string; attempts: number }>;
    assert.ok(after.every((delivery) => delivery.status === 'delivered' && delivery.attempts === 2));
    assert.deepEqual(cluster.errors(), []);
  });
});
