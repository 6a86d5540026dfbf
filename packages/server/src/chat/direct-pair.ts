import { ParleyError } from './parley-error.js';

/**
 * The two members of a direct conversation as the key that names the pair
 * either way round: at most one direct conversation per pair. Ids never
 * contain ':'.
 */
export function directPairKey(userIds: readonly [string, string]): string {
  const [first, second] = userIds;
  if (first === second) throw new ParleyError('bad_request', 'a direct conversation needs two different users');
  return [first, second].sort().join(':');
}
