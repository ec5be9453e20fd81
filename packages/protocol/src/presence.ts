/** The base statuses every custom status maps onto (P8). */
export type BaseStatus = 'available' | 'busy' | 'away' | 'offline';

/** Who or what changed a presence (P11). */
export type PresenceSource = 'agent' | 'admin' | 'system';
export type PresenceCause = 'manual' | 'default' | 'idle' | 'capacity' | 'missed' | 'declined' | 'disconnect' | 'maintenance' | 'reset';

export interface PresenceReason {
  source: PresenceSource;
  cause: PresenceCause;
  /** Agent or admin id, or `system`. */
  actor: string;
  /** ms since the epoch. */
  at: number;
}

/** An agent's presence as the service holds it and pushes it to every session of the agent (P3). */
export interface PresenceView {
  agentId: string;
  /** The computed base status. */
  status: BaseStatus;
  /** A custom status id when one is set (P8). */
  custom?: string | undefined;
  /** Per office: available or away (A4). */
  offices: Record<string, 'available' | 'away'>;
  capacity: { used: number; total: number };
  reason: PresenceReason;
  /** Increases with every change, so a client keeps the newest. */
  version: number;
}
