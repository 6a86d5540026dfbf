const dayMs = 24 * 60 * 60 * 1000;

export function timeOf(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** "Today", "Yesterday" or the date, for day separators. */
export function dayOf(at: number, now = Date.now()): string {
  const start = (time: number) => new Date(time).setHours(0, 0, 0, 0);
  const days = Math.round((start(now) - start(at)) / dayMs);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return new Date(at).toLocaleDateString(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

export function sameDay(a: number, b: number): boolean {
  return new Date(a).toDateString() === new Date(b).toDateString();
}

/** A chat list time: the time today, else the date. */
export function shortWhen(at: number, now = Date.now()): string {
  return sameDay(at, now) ? timeOf(at) : new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}

/** "last seen today at 12:03", for the conversation header. */
export function lastSeenOf(at: number, now = Date.now()): string {
  const day = dayOf(at, now);
  return `last seen ${day === 'Today' || day === 'Yesterday' ? day.toLowerCase() : day} at ${timeOf(at)}`;
}
