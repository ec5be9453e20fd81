import { BehaviorSubject } from 'rxjs';
import type { ConnectionState } from '@parley/sdk';
import type { AgentPresence } from '@parley/sdk/agent';
import type { MaintenanceWindow, PresenceView } from '@parley/protocol';
import type { BadgeClient } from '@parley/agent-badge';

export function presenceView(patch: Partial<PresenceView> = {}): PresenceView {
  return {
    agentId: 'ana',
    status: 'available',
    offices: { north: 'available', south: 'available' },
    capacity: { used: 1, total: 3 },
    reason: { source: 'agent', cause: 'manual', actor: 'ana', at: 0 },
    version: 1,
    ...patch,
  };
}

/** An agent client the test drives. */
export class FakeAgentClient implements BadgeClient {
  readonly presence$ = new BehaviorSubject<AgentPresence>({ view: presenceView(), reconnecting: false, manualAt: undefined });
  readonly connection$ = new BehaviorSubject<ConnectionState>({ status: 'open' });
  readonly loggedOut$ = new BehaviorSubject(false);
  readonly windows$ = new BehaviorSubject<MaintenanceWindow[]>([]);
  readonly calls: unknown[][] = [];
  setStatus = async (status: string) => void this.calls.push(['status', status]);
  setOfficeStatus = async (office: string, status: string) => void this.calls.push(['office', office, status]);
  resetPresence = async () => void this.calls.push(['reset']);
  logout = async () => void this.calls.push(['logout']);
}
