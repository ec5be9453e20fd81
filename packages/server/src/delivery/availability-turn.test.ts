import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Availability, ServerFrame } from '@parley/protocol';
import { computeAvailability } from '../maintenance/availability.js';
import type { PresenceState } from '../presence/presence-rules.js';
import { Delivery, type Socket } from './delivery.js';

/** Ben, Available in the North office, with one slot. */
const ben = (used: number): PresenceState => ({
  agentId: 'ben',
  intent: 'available',
  offices: { north: 'available' },
  capacity: { used, total: 1 },
  status: used >= 1 ? 'busy' : 'available',
  reason: { source: 'agent', cause: 'manual', actor: 'ben', at: 0 },
  manualAt: 0,
  version: used + 1,
});

/** A customer socket that keeps what it is sent. */
const recorder = (): Socket & { frames: ServerFrame[] } => {
  const frames: ServerFrame[] = [];
  return { frames, send: (frame) => frames.push(frame), close: () => {} };
};

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('availability to customer sockets', () => {
  it('C2, P2: the two events one accept makes on another node (the offer gone, then the slot taken) reach customers as no change at all, not a moment online', async () => {
    // What another node knows of Ben: his one slot held by an offer.
    const view = { presence: ben(0), offers: 1 };
    const availability = (button: string): Availability =>
      computeAvailability({ button, office: 'north', readOnly: false, windows: [], noticeLeadMs: 0, agents: [view.presence], pendingOffers: () => view.offers, now: 0 });
    const delivery = new Delivery({
      readEvents: async () => [],
      waitingSessions: async () => [],
      officesOf: () => ['north'],
      availability,
      buttons: () => ['sales'],
      officeOf: () => 'north',
      failed: (error) => assert.fail(String(error)),
    });
    const customer = recorder();
    delivery.addCustomer(customer, 'sales');
    assert.deepEqual(customer.frames, [{ type: 'availability', button: 'sales', online: false, reason: 'capacity', window: undefined }]);

    // Ben accepts elsewhere: the bus brings the offer counts, then his capacity, one after the other.
    view.offers = 0;
    delivery.deliver({ type: 'offers-changed', counts: {} });
    view.presence = ben(1);
    delivery.deliver({ type: 'presence-changed', state: view.presence });
    await nextTurn();
    assert.equal(customer.frames.length, 1, JSON.stringify(customer.frames));

    // A change that does move the button is sent, once.
    view.presence = { ...ben(0), capacity: { used: 0, total: 1 } };
    delivery.deliver({ type: 'presence-changed', state: view.presence });
    delivery.deliver({ type: 'offers-changed', counts: {} });
    await nextTurn();
    assert.deepEqual(customer.frames.slice(1), [{ type: 'availability', button: 'sales', online: true, reason: 'agents', window: undefined }]);
  });
});
