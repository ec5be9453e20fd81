/**
 * The wire protocol, version 1 (docs/protocol.md): the frame schemas both the
 * SDK and the reference service validate against, so the two cannot disagree.
 */
export { PROTOCOL_VERSION } from './version.js';
