import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createChatClient, type ChatClient, type WebSocketConstructor } from '@parley/sdk';
import { filter, firstValueFrom } from 'rxjs';
import { WebSocket } from 'ws';
import { ServiceProcess } from '../test-support/service-process.js';
import { TcpRelay } from '../test-support/tcp-relay.js';
import { TestClient } from '../test-support/test-client.js';
import { metricValue, scrape } from '../test-support/prometheus.js';
import { ADMIN_TOKEN, testAgentToken } from '../test-support/test-server.js';

const agentHello = { role: 'agent', browserId: 'browser-ana', token: await testAgentToken('ana') };
const sessionsByState = async (service: ServiceProcess) => {
  const text = await scrape(`${service.url}/metrics`, ADMIN_TOKEN);
  return Object.fromEntries(['waiting', 'active', 'inactive', 'ended'].map((state) => [state, metricValue(text, 'parley_sessions', { state })]));
};
const portOf = (service: ServiceProcess) => ({ host: '127.0.0.1', port: Number(new URL(service.url).port) });

describe('a start in flight when the service goes', () => {
  const running: ServiceProcess[] = [];
  const clients: TestClient[] = [];
  let relay: TcpRelay | undefined;
  let chat: ChatClient | undefined;
  afterEach(async () => {
    chat?.close();
    for (const client of clients.splice(0)) client.socket.terminate();
    await relay?.close();
    for (const service of running.splice(0)) if (service.child.exitCode === null && service.child.signalCode === null) await service.kill('SIGKILL');
  });

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`M3: the service stores the chat, its answer is lost and the process ends (${signal}); after the restart the SDK gets that same chat, never a second one`, async () => {
      const file = await ServiceProcess.configFile();
      const first = await ServiceProcess.start(file);
      running.push(first);
      relay = await TcpRelay.start(portOf(first));
      const agent = await TestClient.connect(first.wsUrl, agentHello);
      clients.push(agent);
      await agent.request({ type: 'presence', status: 'available' });

      chat = createChatClient({ endpoint: relay.url, button: 'sales', WebSocket: WebSocket as unknown as WebSocketConstructor });
      await firstValueFrom(chat.connection$.pipe(filter((state) => state.status === 'open')));
      // From here the customer hears nothing more from this process: the `result` of the start is lost.
      relay.hold();
      const started = chat.start({ name: 'Dana' });
      const offer = await agent.next((frame) => frame.type === 'offer');
      await first.kill(signal);

      const second = await ServiceProcess.start(file);
      running.push(second);
      relay.target = portOf(second);
      relay.reset();
      const agentAgain = await TestClient.connect(second.wsUrl, agentHello);
      clients.push(agentAgain);

      assert.equal(await started, offer.sessionId);
      assert.deepEqual(await sessionsByState(second), { waiting: 1, active: 0, inactive: 0, ended: 0 });
      // And it is a working chat.
      const again = await agentAgain.next((frame) => frame.type === 'offer' && frame.sessionId === offer.sessionId);
      await agentAgain.request({ type: 'accept', offerId: again.offerId });
      await chat.send('Is anyone there?');
      await agentAgain.next((frame) => frame.type === 'event' && frame.sessionId === offer.sessionId && frame.event.kind === 'message');
      assert.deepEqual(await sessionsByState(second), { waiting: 0, active: 1, inactive: 0, ended: 0 });
    });
  }
});
