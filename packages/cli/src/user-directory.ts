import { readFile, writeFile } from 'node:fs/promises';
import { ParleyApiError, type ParleyApi, type UserView } from '@parley/client';
import type { CliContext } from './cli-context.js';
import { userNamesPath } from './profile.js';

/** Most names kept in the profile's file; the oldest are dropped past it. */
const savedNamesMax = 1_000;

/**
 * Names for user ids, for printing: users met before (kept in the profile's
 * names file), else one `GET /v1/users/:id`. Every answer, a miss included,
 * is cached for the process.
 */
export class UserDirectory {
  private readonly names = new Map<string, string>();
  private readonly saved = new Map<string, string>();

  constructor(
    private readonly api: ParleyApi,
    /** Where met users are kept; none keeps them for this process only. */
    private readonly path?: string,
  ) {}

  /** The directory of the profile, with the users it met before. */
  static async open(context: CliContext, api: ParleyApi): Promise<UserDirectory> {
    const directory = new UserDirectory(api, userNamesPath(context));
    await directory.load();
    return directory;
  }

  remember(user: UserView): void {
    this.names.set(user.id, user.username);
    this.saved.delete(user.id);
    this.saved.set(user.id, user.username);
  }

  /** The user's username, else their display name, else the bare id. */
  async nameOf(userId: string): Promise<string> {
    const known = this.names.get(userId);
    if (known !== undefined) return known;
    const name = (await this.lookUp(userId)) ?? userId;
    this.names.set(userId, name);
    return name;
  }

  /** Keeps the users met in the profile's names file, for later commands. */
  async save(): Promise<void> {
    if (this.path === undefined) return;
    const newest = [...this.saved].slice(-savedNamesMax);
    await writeFile(this.path, `${JSON.stringify(Object.fromEntries(newest))}\n`, { mode: 0o600 });
  }

  private async load(): Promise<void> {
    if (this.path === undefined) return;
    let value: unknown;
    try {
      value = JSON.parse(await readFile(this.path, 'utf8'));
    } catch {
      // No file yet, or a damaged one: names are a convenience, rebuilt as users are met.
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [id, name] of Object.entries(value)) {
      if (typeof name !== 'string') continue;
      this.names.set(id, name);
      this.saved.set(id, name);
    }
  }

  private async lookUp(userId: string): Promise<string | undefined> {
    try {
      const user = await this.api.user(userId);
      this.remember(user);
      return user.username;
    } catch (error) {
      if (error instanceof ParleyApiError && error.code === 'not_found') return undefined;
      throw error;
    }
  }
}
