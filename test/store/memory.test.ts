import t from 'tap';
import { openMemoryStore } from '../../src/store/memory/index.js';
import { storeContracts } from './contract/index.js';

storeContracts(t, () => openMemoryStore());
