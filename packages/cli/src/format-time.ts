/** A time for people: `2026-01-02 14:03`, or only `14:03` when it is today. */
export function formatTime(at: number, now: number): string {
  const time = new Date(at);
  const pad = (part: number) => String(part).padStart(2, '0');
  const clock = `${pad(time.getHours())}:${pad(time.getMinutes())}`;
  if (new Date(now).toDateString() === time.toDateString()) return clock;
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${clock}`;
}
