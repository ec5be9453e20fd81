export { ParleyAgentBadge } from './badge/parley-agent-badge.js';
export type { BaseStatus } from '@parley/sdk/protocol';
