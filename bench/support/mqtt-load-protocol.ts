// What bench/support/mqtt-load.ts (a forked process) understands and answers.

/** The publisher's fleet seed, so that the parent can build the same fleet. */
export const LOAD_SEED = 'bench-mqtt';

export type LoadCommand =
  /** Every device's retained meta; at most `rate` per second when given. */
  | { cmd: 'meta'; rate?: number }
  | { cmd: 'run'; kind: 'device' | 'gateway'; rate: number; seconds: number; gatewaySize: number }
  | { cmd: 'exit' };

export interface RunReply {
  messages: number;
  records: number;
  ms: number;
  errors: number;
  /** Most publishes waiting for their acknowledgement at once. */
  maxInFlight: number;
  /** Ticks in which a full socket buffer or the in-flight limit held publishing back. */
  heldBack: number;
}
