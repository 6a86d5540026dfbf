import { randomBytes } from 'node:crypto';

/** 96 random bits: unguessable, so an id reveals nothing and cannot be enumerated. */
const randomPart = () => randomBytes(12).toString('base64url');

export const newUserId = () => `u_${randomPart()}`;
export const newDeviceId = () => `d_${randomPart()}`;
export const newConversationId = () => `c_${randomPart()}`;
