import { createHash } from 'node:crypto';
import type pg from 'pg';

/** A pool (one statement, autocommit) or a client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

const statementNames = new Map<string, string>();

/**
 * Runs a statement as a named prepared statement: each connection parses and
 * plans it once. The name is derived from the text, so one text is one name.
 */
export async function query<Row extends pg.QueryResultRow>(on: Queryable, text: string, values: unknown[] = []): Promise<pg.QueryResult<Row>> {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `parley_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    statementNames.set(text, name);
  }
  return on.query<Row>({ name, text, values });
}

export async function rowsOf<Row extends pg.QueryResultRow>(on: Queryable, text: string, values: unknown[] = []): Promise<Row[]> {
  return (await query<Row>(on, text, values)).rows;
}

/** The first row, or undefined. */
export async function rowOf<Row extends pg.QueryResultRow>(on: Queryable, text: string, values: unknown[] = []): Promise<Row | undefined> {
  return (await query<Row>(on, text, values)).rows[0];
}
