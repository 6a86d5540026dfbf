import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The fields of a Google service-account key file (JSON) that FCM HTTP v1 needs. */
const serviceAccountSchema = z.object({
  type: z.literal('service_account'),
  project_id: z.string().min(1),
  private_key_id: z.string().min(1),
  private_key: z.string().min(1),
  client_email: z.string().min(1),
  token_uri: z.string().url().default('https://oauth2.googleapis.com/token'),
});

export interface ServiceAccount {
  projectId: string;
  privateKeyId: string;
  privateKey: KeyObject;
  clientEmail: string;
  tokenUri: string;
}

/** Reads PARLEY_FCM_SERVICE_ACCOUNT_FILE; throws at start-up, naming the file, when it is not one. */
export function readServiceAccount(path: string): ServiceAccount {
  let parsed;
  try {
    parsed = serviceAccountSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new Error(`${path} is not a Google service-account key file: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    projectId: parsed.project_id,
    privateKeyId: parsed.private_key_id,
    privateKey: createPrivateKey(parsed.private_key),
    clientEmail: parsed.client_email,
    tokenUri: parsed.token_uri,
  };
}
