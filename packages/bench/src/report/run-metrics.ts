import type { LoadRunResult } from '../load/run-load.js';
import { saturationOf } from '../metrics/saturation.js';
import { apartProcesses, type ApartProcess } from '../process/measured-processes.js';
import type { NamedRun } from './chart-spec.js';
import type { RunMetric } from './compared-figures.js';

const round1 = (value: number) => Math.round(value * 10) / 10;

/** Server CPU microseconds per delivery; undefined without the server's CPU. */
export function serverCpuPerDeliveryUs(load: LoadRunResult): number | undefined {
  const cpu = load.cpu.serverSeconds;
  return cpu === undefined || load.delivered === 0 ? undefined : round1((cpu * 1e6) / load.delivered);
}

/** Kilobytes the server sent to storage per delivery (WAL, database, temporary files); undefined where not read. */
function serverStorageKbPerDelivery(load: LoadRunResult): number | undefined {
  const bytes = load.cpu.serverStorageBytes;
  return bytes === undefined || load.delivered === 0 ? undefined : round1(bytes / 1000 / load.delivered);
}

/** Deliveries per second of server CPU: the cost of fan-out, whatever the offered rate. */
export function deliveriesPerCpuSecond(load: LoadRunResult): number | undefined {
  const cpu = load.cpu.serverSeconds;
  return cpu === undefined || cpu === 0 ? undefined : Math.round(load.delivered / cpu);
}

/** "yes" or "no" for an open loop (why is a warning of the run); a closed loop is saturated by design, so it has no such figure. */
function saturated({ load, fanout }: NamedRun): string | undefined {
  if (load.shape.mode === 'closed') return undefined;
  return saturationOf(load, load.shape.ratePerSecond * fanout).saturated ? 'yes' : 'no';
}

/** Receipt events the senders got per acknowledged message: about 1 per ack in 1:1, up to members - 1 per message in groups of per-member receipts, at most 1 with aggregate ones. */
function receiptsPerMessage({ load }: NamedRun): number | undefined {
  return load.totals.acknowledged === 0 ? undefined : Number((load.totals.receipts / load.totals.acknowledged).toFixed(2));
}

/** CPU microseconds per delivery of the processes read apart (a cluster's PostgreSQL backends…); undefined when not read. */
function apartCpuPerDeliveryUs(load: LoadRunResult, name: ApartProcess): number | undefined {
  const cores = load.cpu.apartCores[name];
  return cores === undefined || load.delivered === 0 ? undefined : round1((cores * load.cpu.wallSeconds * 1e6) / load.delivered);
}

/** A cluster's whole cost per delivery: nodes, PostgreSQL (backends and background), HAProxy and NATS. */
function clusterCpuPerDeliveryUs(load: LoadRunResult): number | undefined {
  const server = serverCpuPerDeliveryUs(load);
  const apart = apartProcesses.map((name) => apartCpuPerDeliveryUs(load, name));
  if (server === undefined || apart.every((value) => value === undefined)) return undefined;
  return round1(apart.reduce<number>((sum, value) => sum + (value ?? 0), server));
}

/** Figures of the processes a cluster run reads apart from its nodes; absent from every other run. */
const apartMetrics: RunMetric[] = [
  { name: 'PostgreSQL backends CPU per message', unit: 'µs', read: ({ load }) => apartCpuPerDeliveryUs(load, 'postgresBackends') },
  { name: 'cluster CPU per message (nodes, PostgreSQL, HAProxy, NATS)', unit: 'µs', read: ({ load }) => clusterCpuPerDeliveryUs(load) },
  { name: 'PostgreSQL backends CPU', unit: 'cores', read: ({ load }) => load.cpu.apartCores.postgresBackends },
  { name: 'PostgreSQL background processes CPU (shared)', unit: 'cores', read: ({ load }) => load.cpu.apartCores.postgresBackground },
  { name: 'HAProxy CPU', unit: 'cores', read: ({ load }) => load.cpu.apartCores.haproxy },
  { name: 'NATS server CPU (shared)', unit: 'cores', read: ({ load }) => load.cpu.apartCores.nats },
];

const cpuMetrics: RunMetric[] = [
  { name: 'server CPU', unit: 'cores', read: ({ load }) => load.cpu.serverCores },
  ...apartMetrics,
  { name: 'generator CPU', unit: 'cores', read: ({ load }) => load.cpu.generatorCores },
  { name: 'other processes CPU', unit: 'cores', read: ({ load }) => load.cpu.otherCores, comparable: false },
  { name: 'time some task waited on the disk (PSI)', unit: 'share', read: ({ load }) => load.cpu.ioPressure, comparable: false },
];

/** From the server's `/metrics`: the event loop stops for each pause, so they add to the latency of what is in flight. */
const gcMetrics: RunMetric[] = [
  { name: 'server GC pause time', unit: 'ms/s', read: ({ load }) => (load.serverGc === undefined ? undefined : round1(load.serverGc.pauseMsPerSecond)) },
  { name: 'server GC pauses', unit: '/s', read: ({ load }) => (load.serverGc === undefined ? undefined : round1(load.serverGc.pausesPerSecond)), comparable: false },
];

const orderMetrics: RunMetric[] = [
  { name: 'duplicate deliveries', unit: 'messages', read: ({ load }) => load.totals.duplicates, comparable: false },
  { name: 'out-of-order deliveries', unit: 'messages', read: ({ load }) => load.totals.gaps, comparable: false },
];

/** The figures of a direct run (1:1 conversations), in report order. */
export const directMetrics: RunMetric[] = [
  { name: 'delivered msg/s', unit: 'msg/s', read: ({ load }) => Math.round(load.deliveredPerS) },
  { name: 'saturated', unit: '', read: saturated },
  { name: 'end-to-end p50', unit: 'ms', read: ({ load }) => load.endToEnd.p50Ms },
  { name: 'end-to-end p90', unit: 'ms', read: ({ load }) => load.endToEnd.p90Ms },
  { name: 'end-to-end p99', unit: 'ms', read: ({ load }) => load.endToEnd.p99Ms },
  { name: 'end-to-end p99.9', unit: 'ms', read: ({ load }) => load.endToEnd.p999Ms },
  { name: 'end-to-end max', unit: 'ms', read: ({ load }) => load.endToEnd.maxMs },
  { name: 'send → sent p50', unit: 'ms', read: ({ load }) => load.sendToSent.p50Ms },
  { name: 'send → sent p99', unit: 'ms', read: ({ load }) => load.sendToSent.p99Ms },
  { name: 'send → sent p99.9', unit: 'ms', read: ({ load }) => load.sendToSent.p999Ms },
  { name: 'server CPU per message', unit: 'µs', read: ({ load }) => serverCpuPerDeliveryUs(load) },
  { name: 'server writes to storage per message', unit: 'KB', read: ({ load }) => serverStorageKbPerDelivery(load) },
  ...gcMetrics,
  ...cpuMetrics,
  { name: 'receipt events per message', unit: 'receipts', read: receiptsPerMessage },
  { name: 'sends acknowledged (whole run)', unit: 'messages', read: ({ load }) => load.totals.acknowledged, comparable: false },
  { name: 'sends refused', unit: 'messages', read: ({ load }) => load.totals.refused, comparable: false },
  ...orderMetrics,
];

/** The figures of a group run: a delivery is one message event at one member other than the sender. */
export const groupMetrics: RunMetric[] = [
  { name: 'deliveries/s', unit: 'deliveries/s', read: ({ load }) => Math.round(load.deliveredPerS) },
  { name: 'messages sent/s', unit: 'msg/s', read: ({ load }) => Math.round(load.sentPerS) },
  { name: 'saturated', unit: '', read: saturated },
  { name: 'deliveries per server CPU-second', unit: 'deliveries', read: ({ load }) => deliveriesPerCpuSecond(load) },
  { name: 'fan-out p50', unit: 'ms', read: ({ load }) => load.endToEnd.p50Ms },
  { name: 'fan-out p99', unit: 'ms', read: ({ load }) => load.endToEnd.p99Ms },
  { name: 'fan-out p99.9', unit: 'ms', read: ({ load }) => load.endToEnd.p999Ms },
  { name: 'send → sent p99', unit: 'ms', read: ({ load }) => load.sendToSent.p99Ms },
  ...gcMetrics,
  ...cpuMetrics,
  { name: 'receipt events per message', unit: 'receipts', read: receiptsPerMessage },
  { name: 'of which aggregate ("all")', unit: 'receipts', read: ({ load }) => load.totals.aggregateReceipts, comparable: false },
  ...orderMetrics,
];
