import { z } from 'zod';

/**
 * A message id: a UUID in canonical 8-4-4-4-12 hex form, any version. Letters
 * are accepted in either case and compared in lower case, so `(sender, id)`
 * dedupe does not depend on how a client prints its UUIDs.
 */
export const messageIdSchema = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID in canonical text form')
  .transform((id) => id.toLowerCase());

/** Ids the server makes (users, devices, conversations) are opaque short strings. */
export const serverIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be an id made by the server');

/** A seq or pos: a non-negative safe integer. */
export const counterSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
