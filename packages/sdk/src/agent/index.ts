// `@parley/sdk/agent`: the agent side, a separate entry so customer pages never load it.
export { AGENT_DEFAULTS, createAgentClient, type AgentClient, type AgentClientOptions } from './agent-client.js';
export { reduceAgent, type AgentEvent, type AgentMessage, type AgentNotice, type AgentSnapshot } from './agent-state.js';
export { reduceAgentPresence, INITIAL_PRESENCE, type AgentPresence, type AgentPresenceEvent } from './presence-view.js';
