// Builds the datastore a config describes (by its daf_butler `cls` name).
import type { ConfigMap } from '../config/index.js';
import { expandPath, isConfigMap, BUTLER_ROOT_TAG } from '../config/index.js';
import type { StorageClassFactory } from '../datasets/index.js';
import type { DimensionUniverse } from '../dimensions/index.js';
import type { Database } from '../registry/db/database.js';
import { ChainedDatastore } from './chainedDatastore.js';
import type { Datastore } from './datastore.js';
import { FileDatastore } from './fileDatastore.js';
import { InMemoryDatastore } from './inMemoryDatastore.js';

export interface DatastoreContext {
  db: Database;
  universe: DimensionUniverse;
  storageClasses: StorageClassFactory;
  /** Directory that `<butlerRoot>` stands for. */
  butlerRoot: string;
}

function clsTail(cls: unknown): string {
  return typeof cls === 'string' ? cls.slice(cls.lastIndexOf('.') + 1) : '';
}

export function createDatastore(config: ConfigMap, ctx: DatastoreContext): Datastore {
  const kind = clsTail(config.cls);
  switch (kind) {
    case 'FileDatastore': {
      const unexpanded = typeof config.root === 'string' ? config.root : `${BUTLER_ROOT_TAG}/datastore`;
      const root = expandPath(unexpanded.split(BUTLER_ROOT_TAG).join(ctx.butlerRoot));
      return new FileDatastore({ config: { ...config, root }, db: ctx.db, universe: ctx.universe, storageClasses: ctx.storageClasses, unexpandedRoot: unexpanded });
    }
    case 'InMemoryDatastore':
      return new InMemoryDatastore(config, ctx.universe);
    case 'ChainedDatastore': {
      const children = Array.isArray(config.datastores) ? config.datastores : [];
      const built = children.map((c, i) => {
        if (!isConfigMap(c)) throw new Error(`datastore.datastores[${i}] must be a mapping`);
        return createDatastore(isConfigMap(c.datastore) ? c.datastore : c, ctx);
      });
      return new ChainedDatastore(built, ctx.universe, config.datastore_constraints);
    }
    default:
      throw new Error(`Unsupported datastore class ${JSON.stringify(config.cls)}; supported: FileDatastore, InMemoryDatastore, ChainedDatastore`);
  }
}
