export { ParleyAgentBadge } from './badge/parley-agent-badge.js';
export type { BaseStatus } from './badge/parley-agent-badge.component.js';
