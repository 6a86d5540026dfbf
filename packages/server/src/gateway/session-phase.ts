/**
 * Where a connection stands: waiting for `hello`, authenticating it, open
 * (replay, then live), draining (shutting down: frames are no longer read,
 * answers to those already read still go out), closed.
 */
export type SessionPhase = 'awaiting_hello' | 'authenticating' | 'open' | 'draining' | 'closed';
