import type { MessageStatus } from '@parley/client';
import { ClockIcon } from '../ui/icons.js';

const labels: Record<MessageStatus | 'pending', string> = {
  pending: 'Pending',
  sent: 'Sent',
  delivered: 'Delivered',
  read: 'Read',
};
const marks: Record<MessageStatus, string> = { sent: '✓', delivered: '✓✓', read: '✓✓' };

/** One tick sent, two delivered, two coloured read; a clock while the message waits in the outbox. */
export function Ticks({ status }: { status: MessageStatus | 'pending' }) {
  return (
    <span className={`ticks ticks-${status}`} role="img" aria-label={labels[status]} title={labels[status]}>
      {status === 'pending' ? <ClockIcon /> : marks[status]}
    </span>
  );
}
