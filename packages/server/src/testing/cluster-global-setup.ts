import type { TestProject } from 'vitest/node';
import { dropClusterDatabasesOfRun, newClusterRunId } from './test-cluster-store.js';

/**
 * The cluster project's global setup: names the run, so that its teardown
 * drops every database this run's test clusters made and a test left behind
 * (one that stopped with its data kept and removed its dir itself), without
 * touching those of other runs on the same PostgreSQL.
 */
export default function setup(project: TestProject): () => Promise<void> {
  const runId = newClusterRunId();
  project.provide('clusterRunId', runId);
  return () => dropClusterDatabasesOfRun(runId);
}
