import type { ConfigInput } from './config-schema.js';

/**
 * The demo deployment `npm start` runs: two offices, three agents, two
 * buttons. Not for production: the admin token is public.
 */
export const DEMO_CONFIG = {
  adminToken: 'parley-demo-admin-token',
  offices: [
    { id: 'sales', name: 'Sales' },
    { id: 'support', name: 'Support' },
  ],
  buttons: [
    { id: 'shop', name: 'Questions about an order', office: 'sales' },
    { id: 'help', name: 'Product help', office: 'support' },
  ],
  agents: [
    { id: 'ana', name: 'Ana', offices: ['sales', 'support'], capacity: 3 },
    { id: 'ben', name: 'Ben', offices: ['sales'], capacity: 2 },
    { id: 'cleo', name: 'Cleo', offices: ['support'], capacity: 2, defaultStatus: 'available' },
  ],
  customStatuses: [
    { id: 'lunch', label: 'At lunch', base: 'away' },
    { id: 'training', label: 'In training', base: 'offline' },
  ],
  lifecycle: { customerInactivityMinutes: 10 },
} satisfies ConfigInput;
