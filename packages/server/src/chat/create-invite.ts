import { createHash, randomInt } from 'node:crypto';
import type { ChatContext } from './chat-context.js';
import type { InviteStore } from './store-port.js';

/** Crockford's base32, as link codes: read aloud or typed, nothing is misread. */
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 16 characters of 32: 80 bits. An invite may live for weeks, so it gets more than a one-minute link code. */
const codeLength = 16;

/** How a code (already normalised: upper case, no dashes) is stored and looked up. */
export const hashInviteCode = (code: string) => createHash('sha256').update(code, 'utf8').digest();

export interface InviteRequest {
  /** Accounts the code may create. */
  uses: number;
  /** Usable for this long; undefined: until used up. */
  ttlMs?: number | undefined;
}

/** Makes an invite code for registration by invite; shown as four groups of four. */
export async function createInvite(context: Pick<ChatContext<InviteStore>, 'store' | 'clock'>, request: InviteRequest): Promise<{ code: string; expiresAt: number | null }> {
  let code = '';
  for (let index = 0; index < codeLength; index++) code += codeAlphabet[randomInt(codeAlphabet.length)];
  const createdAt = context.clock.now();
  const expiresAt = request.ttlMs === undefined ? null : createdAt + request.ttlMs;
  await context.store.createInvite({ codeHash: hashInviteCode(code), uses: request.uses, createdAt, expiresAt });
  return { code: code.match(/.{4}/g)?.join('-') ?? code, expiresAt };
}
