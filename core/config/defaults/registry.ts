// Packaged default `registry.yaml` (daf_butler's keys and manager class names).
export const REGISTRY_YAML = `
registry:
  db: sqlite:///<butlerRoot>/gen3.sqlite3
  managers:
    attributes: lsst.daf.butler.registry.attributes.DefaultButlerAttributeManager
    collections: lsst.daf.butler.registry.collections.synthIntKey.SynthIntKeyCollectionManager
    datasets: lsst.daf.butler.registry.datasets.byDimensions.ByDimensionsDatasetRecordStorageManagerUUID
    datastores: lsst.daf.butler.registry.bridge.monolithic.MonolithicDatastoreRegistryBridgeManager
    dimensions: lsst.daf.butler.registry.dimensions.static.StaticDimensionRecordStorageManager
    opaque: lsst.daf.butler.registry.opaque.ByNameOpaqueTableStorageManager
`;
