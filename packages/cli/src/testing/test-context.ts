import type { CliContext } from '../cli-context.js';

export interface TestContext extends CliContext {
  /** Every line printed so far, stdout and stderr apart. */
  printed: string[];
  noted: string[];
}

/** A context like the real one, with output captured and the config in `configDir`. */
export function testContext(configDir: string, profileName: string, serverOverride?: string): TestContext {
  const printed: string[] = [];
  const noted: string[] = [];
  return {
    ...(serverOverride === undefined ? {} : { serverOverride }),
    profileName,
    configDir,
    env: {},
    command: 'parley',
    printed,
    noted,
    print: (line) => printed.push(line),
    note: (line) => noted.push(line),
  };
}

/** Resolves once `condition` holds, checking every few milliseconds, for at most `timeoutMs`. */
export async function eventually(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
