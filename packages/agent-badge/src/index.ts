export { ParleyAgentBadge } from './badge/parley-agent-badge.js';
export type { BadgeClient, CustomStatusOption } from './badge/parley-agent-badge.component.js';
export { ParleyOfficeAdmin } from './office-admin/parley-office-admin.js';
export { ParleyLeftMessages } from './left-messages/parley-left-messages.js';
export { ParleyRatings } from './ratings/parley-ratings.js';
export type { BaseStatus } from '@parley/protocol';
