import type { MessageView } from '@parley/client';
import { safeLine, safeLines } from './terminal-safe.js';

/**
 * One message as a line: `[14:03:27] alice: hello`, in local time. The name
 * and text come from the network: they are made terminal-safe here, and the
 * lines of a multi-line text are indented under the first.
 */
export function formatMessage(message: Pick<MessageView, 'at' | 'body' | 'unreadable'>, senderName: string): string {
  const time = new Date(message.at);
  const clock = [time.getHours(), time.getMinutes(), time.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
  const prefix = `[${clock}] ${safeLine(senderName)}: `;
  // The server sends a placeholder with an empty text for a stored message it cannot decrypt (protocol E1a):
  // an empty line would read as a blank message the sender never wrote.
  if (message.unreadable === true) return `${prefix}${unreadableText}`;
  return `${prefix}${safeLines(message.body.text, ' '.repeat(continuationIndent(prefix)))}`;
}

export const unreadableText = '(unreadable message)';

/** Continuation lines start under the text, but never so far right that a long name pushes them off screen. */
function continuationIndent(prefix: string): number {
  return Math.min(prefix.length, 24);
}
