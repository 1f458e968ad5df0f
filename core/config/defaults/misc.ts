// Packaged defaults for the remaining ButlerConfig sections.
export const STORAGE_CLASSES_YAML = `
storageClasses: {}
`;

export const REPO_TRANSFER_FORMATS_YAML = `
repo_transfer_formats:
  yaml:
    export: lsst.daf.butler.transfers.YamlRepoExportBackend
    import: lsst.daf.butler.transfers.YamlRepoImportBackend
`;
