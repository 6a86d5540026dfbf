import type { MessageView } from '@parley/client';

/** One message as a line: `[14:03:27] alice: hello`, in local time. */
export function formatMessage(message: Pick<MessageView, 'at' | 'body'>, senderName: string): string {
  const time = new Date(message.at);
  const clock = [time.getHours(), time.getMinutes(), time.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
  return `[${clock}] ${senderName}: ${message.body.text}`;
}
