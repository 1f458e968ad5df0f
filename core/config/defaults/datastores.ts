// Packaged default datastore configs: `datastore.yaml` and the per-class files that a
// `cls:` key pulls in (`datastores/fileDatastore.yaml`, ...), with daf_butler's keys,
// templates and formatter class names, so records we write are readable by Python.
export const FILE_DATASTORE_CLS = 'lsst.daf.butler.datastores.fileDatastore.FileDatastore';
export const IN_MEMORY_DATASTORE_CLS = 'lsst.daf.butler.datastores.inMemoryDatastore.InMemoryDatastore';
export const CHAINED_DATASTORE_CLS = 'lsst.daf.butler.datastores.chainedDatastore.ChainedDatastore';

export const DATASTORE_YAML = `
datastore:
  cls: ${FILE_DATASTORE_CLS}
`;

const JSON_FMT = 'lsst.daf.butler.formatters.json.JsonFormatter';
const YAML_FMT = 'lsst.daf.butler.formatters.yaml.YamlFormatter';
const PICKLE_FMT = 'lsst.daf.butler.formatters.pickle.PickleFormatter';
const PARQUET_FMT = 'lsst.daf.butler.formatters.parquet.ParquetFormatter';
const FITS_EXPOSURE = 'lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter';
const FITS_IMAGE = 'lsst.obs.base.formatters.fitsExposure.FitsImageFormatter';
const FITS_MASK = 'lsst.obs.base.formatters.fitsExposure.FitsMaskFormatter';
const FITS_MASKED_IMAGE = 'lsst.obs.base.formatters.fitsExposure.FitsMaskedImageFormatter';
const FITS_GENERIC = 'lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter';

export const FILE_DATASTORE_YAML = `
datastore:
  cls: ${FILE_DATASTORE_CLS}
  root: <butlerRoot>/datastore
  records:
    table: file_datastore_records
  create: true
  checksum: false
  templates:
    default: "{run:/}/{datasetType}.{component:?}/{tract:?}/{patch:?}/{day_obs|visit.day_obs|exposure.day_obs:?}/{band:?}/{subfilter:?}/{physical_filter:?}/{visit:?}/{exposure.obs_id|group:?}/{datasetType}_{component:?}_{instrument:?}_{tract:?}_{patch:?}_{band:?}_{physical_filter:?}_{visit:?}_{exposure.obs_id|group:?}_{detector.full_name:?}_{skymap:?}_{skypix:?}_{ssp_hypothesis_table:?}_{ssp_hypothesis_bundle:?}_{ssp_balanced_index:?}_{run}"
    physical_filter+detector+exposure: "{run:/}/{datasetType}.{component:?}/{day_obs|exposure.day_obs}/{exposure.obs_id}/{datasetType}_{component:?}_{instrument:?}_{physical_filter}_{exposure.obs_id}_{detector.full_name}_{run}"
  formatters:
    StructuredDataDict: ${YAML_FMT}
    StructuredDataList: ${YAML_FMT}
    StructuredDataDictYaml: ${YAML_FMT}
    StructuredDataListYaml: ${YAML_FMT}
    StructuredDataDictJson: ${JSON_FMT}
    StructuredDataListJson: ${JSON_FMT}
    ExposureSummaryStats: ${YAML_FMT}
    PropertyList:
      formatter: ${YAML_FMT}
      parameters:
        unsafe_dump: true
    PropertySet:
      formatter: ${YAML_FMT}
      parameters:
        unsafe_dump: true
    MetricValue:
      formatter: ${YAML_FMT}
      parameters:
        unsafe_dump: true
    int: ${JSON_FMT}
    TaskMetadata: ${JSON_FMT}
    Timespan: ${JSON_FMT}
    RegionTimeInfo: ${JSON_FMT}
    ButlerLogRecords: lsst.daf.butler.formatters.logs.ButlerLogRecordsFormatter
    Packages:
      formatter: lsst.daf.butler.formatters.packages.PackagesFormatter
      parameters:
        format: yaml
    Config: lsst.pipe.base.formatters.pexConfig.PexConfigFormatter
    SkyMap: ${PICKLE_FMT}
    NumpyArray: ${PICKLE_FMT}
    DataFrame: ${PARQUET_FMT}
    ArrowAstropy: ${PARQUET_FMT}
    ArrowNumpy: ${PARQUET_FMT}
    ArrowNumpyDict: ${PARQUET_FMT}
    ArrowTable: ${PARQUET_FMT}
    AstropyTable: lsst.daf.butler.formatters.astropyTable.AstropyTableFormatter
    Hdf5: lsst.daf.butler.formatters.hdf5.Hdf5Formatter
    Exposure: ${FITS_EXPOSURE}
    ExposureF: ${FITS_EXPOSURE}
    ExposureI: ${FITS_EXPOSURE}
    ExposureU: ${FITS_EXPOSURE}
    ExposureD: ${FITS_EXPOSURE}
    Image: ${FITS_IMAGE}
    ImageF: ${FITS_IMAGE}
    ImageI: ${FITS_IMAGE}
    ImageU: ${FITS_IMAGE}
    ImageD: ${FITS_IMAGE}
    DecoratedImageU: ${FITS_EXPOSURE}
    Mask: ${FITS_MASK}
    MaskX: ${FITS_MASK}
    MaskedImage: ${FITS_MASKED_IMAGE}
    MaskedImageF: ${FITS_MASKED_IMAGE}
    MaskedImageU: ${FITS_MASKED_IMAGE}
    MaskedImageI: ${FITS_MASKED_IMAGE}
    Catalog: ${FITS_GENERIC}
    SourceCatalog: ${FITS_GENERIC}
    Wcs: ${FITS_GENERIC}
    Psf: ${FITS_GENERIC}
    PhotoCalib: ${FITS_GENERIC}
    Defects: ${FITS_GENERIC}
  composites:
    default: false
  cached:
    root: null
    default: false
    cacheable:
      Exposure: true
      ExposureF: true
    expiry:
      mode: datasets
      threshold: 4
`;

export const IN_MEMORY_DATASTORE_YAML = `
datastore:
  cls: ${IN_MEMORY_DATASTORE_CLS}
`;

export const CHAINED_DATASTORE_YAML = `
datastore:
  cls: ${CHAINED_DATASTORE_CLS}
  datastores:
    - cls: ${IN_MEMORY_DATASTORE_CLS}
    - cls: ${FILE_DATASTORE_CLS}
`;
