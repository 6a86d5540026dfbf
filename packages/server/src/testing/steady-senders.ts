import type { RecordingDevice } from './recording-device.js';

/**
 * Load for the failure tests: every `intervalMs`, each device sends one text
 * to its conversation, whatever state its connection is in (the SDK keeps
 * what it cannot send yet in its outbox). `stop` ends the sending; the sends
 * already made are still answered in time.
 */
export function steadySenders(senders: { device: RecordingDevice; conversation: string }[], intervalMs: number): { stop(): void } {
  let round = 0;
  const timer = setInterval(() => {
    round++;
    for (const { device, conversation } of senders) device.send(conversation, `${device.user.username} #${round}`);
  }, intervalMs);
  return { stop: () => clearInterval(timer) };
}
