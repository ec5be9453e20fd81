// `@parley/sdk/agent`: the agent side, a separate entry so customer pages never load it.
export { createAgentClient, type AgentClient, type AgentClientOptions } from './agent-client.js';
export type { AgentMessage, AgentNotice, AgentSnapshot } from './agent-engine.js';
export { reduceAgentPresence, INITIAL_PRESENCE, type AgentPresence, type AgentPresenceEvent } from './presence-view.js';
