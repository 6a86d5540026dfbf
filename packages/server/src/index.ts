export { createApp, type App, type AppOptions } from './app.js';
export { loadConfig, parseConfig, type Config, type ConfigInput } from './config.js';
export { describeSettings } from './setting-descriptions.js';
export { runServer } from './run-server.js';
export { runKeys } from './run-keys.js';
export { runInvites } from './run-invites.js';
export { runCluster } from './cluster/run-cluster.js';
export { FakeClock } from './clock/fake-clock.js';
