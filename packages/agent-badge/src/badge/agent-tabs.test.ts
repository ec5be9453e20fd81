import { expect } from '@open-wc/testing';
import { filter, firstValueFrom } from 'rxjs';
import type { AgentClient, AgentPresence } from '@parley/sdk/agent';
import type { ParleyAgentBadge } from '@parley/agent-badge';
import { agentToken, RawAgent, startService, type LiveService } from '../../../sdk/src/test-support/live-service.js';

interface BadgePage {
  frame: HTMLIFrameElement;
  readonly badge: ParleyAgentBadge;
  readonly client: AgentClient;
  reload(): Promise<void>;
}

/** An agent console page with the badge's script tag, in a same-origin frame: another tab, as far as the badge can tell. */
async function badgePage(service: LiveService, token: string): Promise<BadgePage> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<!doctype html><html lang="en"><body>
    <script src="/packages/agent-badge/dist/parley-agent-badge.js"></script>
    <parley-agent-badge endpoint="${service.url}" token="${token}"></parley-agent-badge></body></html>`;
  const loaded = () => new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const first = loaded();
  document.body.append(frame);
  await first;
  const badge = () => frame.contentDocument!.querySelector<ParleyAgentBadge>('parley-agent-badge')!;
  return {
    frame,
    get badge() {
      return badge();
    },
    get client() {
      return badge().client as AgentClient;
    },
    async reload() {
      const again = loaded();
      frame.contentWindow!.location.reload();
      await again;
    },
  };
}

const shows = (page: BadgePage, match: (presence: AgentPresence) => boolean) => firstValueFrom(page.client.presence$.pipe(filter(match)));
const status = (value: string) => (presence: AgentPresence) => presence.view?.status === value && !presence.reconnecting;

describe('agent presence across pages (real service)', () => {
  it('A6: Away in one page shows in the others; logout in one logs out all', async () => {
    const service = await startService();
    const token = await agentToken(service, 'ana');
    const pages = [await badgePage(service, token), await badgePage(service, token), await badgePage(service, token)];
    await Promise.all(pages.map((page) => shows(page, (presence) => presence.view !== undefined)));
    await pages[0]!.client.setStatus('available');
    await Promise.all(pages.map((page) => shows(page, status('available'))));

    const changedAt = performance.now();
    await pages[1]!.client.setStatus('away');
    await Promise.all(pages.map((page) => shows(page, status('away'))));
    console.log(`A6: Away showed in all three pages ${Math.round(performance.now() - changedAt)} ms after the change`);
    for (const page of pages) {
      await page.badge.updateComplete;
      expect(page.badge.status).to.equal('away');
    }

    await pages[2]!.client.logout();
    await Promise.all(pages.map((page) => firstValueFrom(page.client.loggedOut$.pipe(filter(Boolean)))));
    for (const page of pages) page.frame.remove();
  });

  it('A7, P6, P3: closing a page that is not the last keeps the status, a reload keeps it, and another browser sees the same', async () => {
    const service = await startService();
    const token = await agentToken(service, 'ana');
    const first = await badgePage(service, token);
    const second = await badgePage(service, token);
    await shows(first, (presence) => presence.view !== undefined);
    await first.client.setStatus('available');
    // Confirmed by the service (not just shown at once): the manual choice is no longer pending.
    const version = (await shows(second, (presence) => status('available')(presence) && presence.manualAt === undefined && presence.view!.reason.cause === 'manual')).view!.version;

    first.frame.remove();
    await shows(second, (presence) => presence.view?.status === 'available' && !presence.reconnecting);
    await second.reload();
    const afterReload = await shows(second, (presence) => presence.view !== undefined && !presence.reconnecting);
    expect([afterReload.view!.status, afterReload.view!.version]).to.deep.equal(['available', version]);

    // Another browser, as far as the service can tell: its own connection and browser id.
    const otherBrowser = await RawAgent.connect(service, 'ana');
    const seen = (await otherBrowser.seen((frame) => frame.type === 'presence')).presence as { status: string; version: number };
    expect([seen.status, seen.version]).to.deep.equal(['available', version]);
    otherBrowser.close();
    second.frame.remove();
  });

  it('A1: a token set after the badge is on the page (the sign-in answered later) signs it in', async () => {
    const service = await startService();
    const frame = document.createElement('iframe');
    frame.srcdoc = `<!doctype html><html lang="en"><body>
      <script src="/packages/agent-badge/dist/parley-agent-badge.js"></script>
      <parley-agent-badge endpoint="${service.url}"></parley-agent-badge></body></html>`;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    const badge = frame.contentDocument!.querySelector<ParleyAgentBadge>('parley-agent-badge')!;
    expect(badge.client).to.equal(undefined);
    badge.token = await agentToken(service, 'ana');
    await badge.updateComplete;
    const presence = await firstValueFrom((badge.client as AgentClient).presence$.pipe(filter((seen) => seen.view !== undefined)));
    expect(presence.view!.status).to.equal('offline');
    frame.remove();
  });
});
