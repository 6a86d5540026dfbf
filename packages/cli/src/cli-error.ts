/** A failure the user can act on: its message is printed as is, and the exit code is 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}
