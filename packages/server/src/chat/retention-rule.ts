/**
 * Stream retention: the floor at or below which a user's events may be
 * deleted is the lowest acked pos of the devices active within the retention
 * window. It never goes down, and with no active device nothing is deleted,
 * since nobody can yet say the events were seen. Undefined: keep the floor.
 */
export function nextStreamFloor(currentFloor: number, lowestActiveAckedPos: number | undefined): number | undefined {
  if (lowestActiveAckedPos === undefined || lowestActiveAckedPos <= currentFloor) return undefined;
  return lowestActiveAckedPos;
}
