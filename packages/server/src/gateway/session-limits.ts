/** The limits of one connection, from the configuration. */
export interface SessionLimits {
  helloTimeoutMs: number;
  sendQueueBytesMax: number;
  replayPageSize: number;
  badFramesMax: number;
  rateLimitStrikesMax: number;
  streamRetentionMs: number;
  /** How long acks gather before one write; 0 writes each at once (see AckWriter). */
  ackWriteDelayMs: number;
  /** The same for acks that make no receipt. */
  quietAckWriteDelayMs: number;
  /** Frames a client may pipeline behind `hello` before it is answered. */
  pendingFramesMax: number;
  /** Levels of nesting a message body may have; deeper is a bad frame. */
  maxBodyDepth: number;
}
