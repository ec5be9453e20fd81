import { readFileSync } from 'node:fs';
import proxyAddr from '@fastify/proxy-addr';
import * as v from 'valibot';
import { ConfigSchema, type Config } from './config-schema.js';
import { identityProblems } from './identity-config.js';

/** A refused configuration; the message names every problem with its path. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'bad_config';
}

/**
 * Validates a configuration object: field by field, then across fields (S9,
 * offices and buttons that refer to each other). Throws ConfigError.
 */
export function parseConfig(input: unknown): Config {
  const result = v.safeParse(ConfigSchema, input);
  if (!result.success) {
    const lines = result.issues.map((issue) => `- ${v.getDotPath(issue) ?? '(root)'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = result.output;
  const problems: string[] = [];
  if (config.lifecycle.customerInactivityMinutes !== null && config.capacity.model === 'status-based') {
    problems.push(
      '- lifecycle.customerInactivityMinutes: customer inactivity cannot be combined with status-based capacity (capacity.model); turn one of them off',
    );
  }
  if (config.busUrl && !config.databaseUrl) {
    problems.push('- busUrl: nodes that share a bus must share a store too; set databaseUrl (PostgreSQL) as well');
  }
  const offices = new Set(config.offices.map((office) => office.id));
  config.buttons.forEach((button, index) => {
    if (!offices.has(button.office)) problems.push(`- buttons.${index}.office: no office "${button.office}"`);
  });
  config.agents.forEach((agent, index) => {
    agent.offices.forEach((office) => {
      if (!offices.has(office)) problems.push(`- agents.${index}.offices: no office "${office}"`);
    });
    const statuses = ['available', 'away', 'offline', ...config.customStatuses.map((status) => status.id)];
    if (agent.defaultStatus && !statuses.includes(agent.defaultStatus)) {
      problems.push(`- agents.${index}.defaultStatus: no status "${agent.defaultStatus}"`);
    }
  });
  try {
    proxyAddr.compile([...config.trustedProxies]);
  } catch (error) {
    problems.push(`- trustedProxies: ${(error as Error).message}`);
  }
  for (const [what, ids] of [
    ['offices', config.offices.map((office) => office.id)],
    ['buttons', config.buttons.map((button) => button.id)],
    ['agents', config.agents.map((agent) => agent.id)],
  ] as const) {
    const duplicate = ids.find((item, index) => ids.indexOf(item) !== index);
    if (duplicate) problems.push(`- ${what}: "${duplicate}" appears twice`);
  }
  const { jwksUrl, issuer, audience } = config.agentAuth;
  if (jwksUrl !== undefined && (issuer === undefined || audience === undefined)) {
    problems.push('- agentAuth: with jwksUrl, set issuer and audience too, so tokens minted for other services are refused');
  }
  problems.push(...identityProblems(config.identity));
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return config;
}

/** Environment variables that override the file (docs/server.md). */
const ENVIRONMENT: Record<string, (value: string) => [string, unknown]> = {
  PORT: (value) => ['port', Number(value)],
  HOST: (value) => ['host', value],
  PARLEY_DB: (value) => ['databasePath', value],
  PARLEY_DATABASE_URL: (value) => ['databaseUrl', value],
  PARLEY_BUS_URL: (value) => ['busUrl', value],
  PARLEY_BUS_PREFIX: (value) => ['busPrefix', value],
  PARLEY_SECRET: (value) => ['secret', value],
  PARLEY_ADMIN_TOKEN: (value) => ['adminToken', value],
  PARLEY_ALLOWED_ORIGINS: (value) => ['allowedOrigins', value.split(',').map((origin) => origin.trim()).filter(Boolean)],
  PARLEY_TRUSTED_PROXIES: (value) => ['trustedProxies', value.split(',').map((proxy) => proxy.trim()).filter(Boolean)],
  PARLEY_PUBLIC_URL: (value) => ['publicUrl', value],
  PARLEY_IDENTITY_SECRET: (value) => ['identity', { secret: value }],
  PARLEY_IDENTITY_JWKS_URL: (value) => ['identity', { jwksUrl: value }],
  PARLEY_IDENTITY_ISSUER: (value) => ['identity', { issuer: value }],
  PARLEY_IDENTITY_AUDIENCE: (value) => ['identity', { audience: value }],
  PARLEY_IDENTITY_REQUIRED: (value) => ['identity', { required: value === '1' || value === 'true' }],
  PARLEY_TEST_MODE: (value) => ['testMode', value === '1' || value === 'true'],
  PARLEY_LOG_LEVEL: (value) => ['log', { level: value }],
  PARLEY_METRICS_PORT: (value) => ['metrics', { port: Number(value) }],
  PARLEY_SERVE_SOURCE_MAPS: (value) => ['http', { serveSourceMaps: value === '1' || value === 'true' }],
};

/** Reads the JSON file (if any), applies the environment over it, and validates. */
export function loadConfig(options: { file?: string | undefined; base?: object; env?: NodeJS.ProcessEnv }): Config {
  let fromFile: object = options.base ?? {};
  if (options.file) {
    try {
      fromFile = { ...fromFile, ...(JSON.parse(readFileSync(options.file, 'utf8')) as object) };
    } catch (error) {
      throw new ConfigError(`Cannot read the configuration file ${options.file}: ${(error as Error).message}`);
    }
  }
  const overrides = Object.entries(options.env ?? {})
    .filter(([key, value]) => key in ENVIRONMENT && value !== undefined && value !== '')
    .map(([key, value]) => ENVIRONMENT[key]!(value!));
  const merged: Record<string, unknown> = { ...fromFile };
  // A variable that sets one field of a section (PARLEY_LOG_LEVEL) keeps the file's other fields.
  for (const [key, value] of overrides) {
    const current = merged[key];
    merged[key] = isObject(value) && isObject(current) ? { ...current, ...value } : value;
  }
  return parseConfig(merged);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
