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
  // I1: the demo shop signs its customers in with this (public) secret, at /demo/user-token.
  identity: { secret: 'parley-demo-identity-secret-public-never-in-production', issuer: 'parley-demo-shop', audience: 'parley-demo' },
} satisfies ConfigInput;

/** Environment variables that configure a secret: the demo hands its tokens to anyone, so it never runs with one. */
const SECRET_VARIABLES = ['PARLEY_SECRET', 'PARLEY_ADMIN_TOKEN', 'PARLEY_IDENTITY_SECRET'] as const;

/**
 * Why `--demo` must not start with this setup: its /demo/… routes hand out the
 * admin token and agent tokens to anyone who asks, so the demo runs only the
 * demo deployment, never a configuration file or a configured secret.
 */
export function demoConflicts(options: { configFile?: string | undefined; env: NodeJS.ProcessEnv }): string[] {
  const problems: string[] = [];
  if (options.configFile) problems.push(`- a configuration file (${options.configFile}) is given`);
  for (const name of SECRET_VARIABLES) if (options.env[name]) problems.push(`- ${name} is set`);
  return problems;
}

/** The same rule for a configuration already loaded: only the demo's own admin token, no configured secret. */
export function isDemoDeployment(config: { adminToken?: string | undefined; secret?: string | undefined }): boolean {
  return config.adminToken === DEMO_CONFIG.adminToken && config.secret === undefined;
}
