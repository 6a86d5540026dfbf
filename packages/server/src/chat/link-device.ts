import { createHash, randomInt } from 'node:crypto';
import type { Caller, ChatContext } from './chat-context.js';
import { newDeviceId } from './ids.js';
import type { NewSession } from './log-in.js';
import { hashDeviceToken, newDeviceToken } from './device-tokens.js';
import type { AccountStore } from './store-port.js';

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed is not misread. */
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 10 characters of 32: 50 bits, far beyond what a rate-limited minute can guess. */
const codeLength = 10;

const hashLinkCode = (code: string) => createHash('sha256').update(code, 'utf8').digest();

/** Makes a single-use code with which a new device joins the caller's account without a password. */
export async function createLinkCode(
  context: ChatContext<AccountStore>,
  caller: Caller,
  ttlMs: number,
): Promise<{ code: string; expiresAt: number }> {
  let code = '';
  for (let index = 0; index < codeLength; index++) code += codeAlphabet[randomInt(codeAlphabet.length)];
  const createdAt = context.clock.now();
  const expiresAt = createdAt + ttlMs;
  await context.store.createLinkCode({ codeHash: hashLinkCode(code), userId: caller.userId, createdBy: caller.deviceId, createdAt, expiresAt });
  return { code: `${code.slice(0, 5)}-${code.slice(5)}`, expiresAt };
}

/** Redeems a link code (already normalised: upper case, no dashes) for a new device. */
export async function redeemLinkCode(context: ChatContext<AccountStore>, code: string, deviceName: string | undefined): Promise<NewSession> {
  const token = newDeviceToken();
  const { device, user } = await context.store.redeemLinkCode(
    hashLinkCode(code),
    { id: newDeviceId(), name: deviceName ?? 'linked device', tokenHash: hashDeviceToken(token), createdAt: context.clock.now() },
    context.limits.maxDevices,
  );
  return { token, user, device };
}
