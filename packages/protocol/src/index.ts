/**
 * The wire protocol, version 1 (docs/protocol.md): the frame schemas both the
 * SDK and the reference service validate against, so the two cannot disagree.
 */
export { PROTOCOL_VERSION } from './version.js';
export { ATTACHMENT_LIMITS, FRAME_LIMITS, LIMITS, OUTBOX_PACE } from './limits.js';
export { isBlankText } from './text.js';
export { CLOSE, isTerminalClose } from './close-codes.js';
export { ERROR_CODES, type ErrorCode } from './error-codes.js';
export { AgentFrame, CustomerFrame, HelloFrame, type ClientFrame, type CommandFrame, type HelloFields } from './client-frames.js';
export { IDENTITY_LIMITS, type VerifiedIdentity } from './identity.js';
export type { AgentRef, AttachmentRef, SequencedEvent, SessionEvent, SessionState } from './session-events.js';
export type { BaseStatus, PresenceCause, PresenceReason, PresenceSource, PresenceView } from './presence.js';
export type { Availability, AvailabilityReason, MaintenanceWindow, Offer, Receipt, ServerFrame, WaitingEntry, WorkItem } from './server-frames.js';
export { readServerFrame } from './server-frame-schema.js';
export type { LeftMessage, OptOut, PresenceReportRow, Rating, StuckWork } from './admin-api.js';
