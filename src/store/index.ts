export {
  defaultDataFile,
  HomeStore,
  openStore,
  StoreError,
  type OpenStoreOptions,
  type StoreErrorCode,
} from './home-store.js';
export { CURRENT_VERSION, emptyHome, homeSchema, type HomeData } from './schema.js';
export { migrations, type Migration, type RawHome } from './migrations.js';
