import { describeBusContract } from './bus.contract.js';
import { MemoryBus } from './memory-bus.js';

describeBusContract('MemoryBus', async () => new MemoryBus());
