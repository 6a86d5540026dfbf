/**
 * The rules of accounts and devices, for any adapter to run inside its
 * transaction: unique usernames, a bounded number of devices per user, a
 * device that starts at its user's current pos, single-use link codes, and
 * the user's own devices only.
 */
import { assert } from '../lib/assert.js';
import type { Device, User } from './model.js';
import { ParleyError } from './parley-error.js';
import type { NewDevice, NewUser, UserPatch } from './store-port.js';

/** The rows accounts read and write. */
export interface AccountTransaction {
  userIdByUsername(username: string): string | undefined;
  insertUser(user: NewUser): User;
  getUser(userId: string): User | undefined;
  /** Undefined for an unknown user. */
  updateUser(userId: string, patch: UserPatch): User | undefined;
  /** The newest pos of the user's stream; undefined for an unknown user. */
  streamHead(userId: string): number | undefined;
  countDevices(userId: string): number;
  insertDevice(device: NewDevice, ackedPos: number): Device;
  linkCode(codeHash: Buffer): { userId: string; expiresAt: number } | undefined;
  deleteLinkCode(codeHash: Buffer): void;
}

/** A taken username is `conflict`, decided in the transaction that inserts, so two racing registrations cannot both win. */
export function createUser(transaction: AccountTransaction, user: NewUser): User {
  if (transaction.userIdByUsername(user.username) !== undefined) throw new ParleyError('conflict', 'username is taken');
  return transaction.insertUser(user);
}

export function updateUser(transaction: AccountTransaction, userId: string, patch: UserPatch): User {
  return requireUser(transaction.updateUser(userId, patch));
}

/** A user has at most `maxDevices` devices; a new one starts at the user's current pos and sees only events made after it. */
export function createDevice(transaction: AccountTransaction, device: NewDevice, maxDevices: number): Device {
  const head = requireUser(transaction.streamHead(device.userId));
  if (transaction.countDevices(device.userId) >= maxDevices) {
    throw new ParleyError('conflict', `a user may have at most ${maxDevices} devices; revoke one with DELETE /v1/devices/:id`);
  }
  return transaction.insertDevice(device, head);
}

/**
 * A link code works once, until it expires (at `device.createdAt`). The
 * device limit is checked before the code is spent, so a refused redemption
 * leaves the code usable once a device has been revoked.
 */
export function redeemLinkCode(
  transaction: AccountTransaction,
  codeHash: Buffer,
  device: Omit<NewDevice, 'userId'>,
  maxDevices: number,
): { device: Device; user: User } {
  const code = transaction.linkCode(codeHash);
  if (code === undefined || code.expiresAt <= device.createdAt) throw new ParleyError('unauthorized', 'invalid or expired link code');
  const created = createDevice(transaction, { ...device, userId: code.userId }, maxDevices);
  transaction.deleteLinkCode(codeHash);
  const user = transaction.getUser(code.userId);
  assert(user !== undefined, `the user of the link code for device ${device.id} exists`);
  return { device: created, user };
}

/** What an unknown user id is answered with. */
export function requireUser<T>(found: T | undefined): T {
  if (found === undefined) throw new ParleyError('not_found', 'no such user');
  return found;
}

/** A device is addressed by its user only: someone else's device is as unknown as a missing one. */
export function requireOwnDevice(ownerId: string | undefined, userId: string): void {
  if (ownerId === undefined || ownerId !== userId) throw new ParleyError('not_found', 'no such device');
}

export function requireDevice<T>(found: T | undefined): T {
  if (found === undefined) throw new ParleyError('not_found', 'no such device');
  return found;
}
