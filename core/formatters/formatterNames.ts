// daf_butler formatter class names (as stored in file_datastore_records.formatter and
// used in datastore config) mapped to our file formats, so real repositories' records
// resolve. Other areas register theirs (e.g. FITS formatters of obs packages).

export interface FormatterInfo {
  /** Our file-format key in the serializer registry, e.g. "json", "fits". */
  format: string;
  /** Default extension, with dot. */
  extension: string;
  /** Set when we cannot read or write this format; the reason is shown to the user. */
  unsupported?: string;
}

export class UnsupportedFormatterError extends Error {
  override name = 'UnsupportedFormatterError';
}

const formatters = new Map<string, FormatterInfo>();

export function registerFormatterName(className: string, info: FormatterInfo, opts: { overwrite?: boolean } = {}): void {
  const existing = formatters.get(className);
  if (existing && !opts.overwrite && JSON.stringify(existing) !== JSON.stringify(info)) {
    throw new UnsupportedFormatterError(`Formatter name ${className} is already mapped to format ${existing.format}; pass overwrite: true to change it`);
  }
  formatters.set(className, info);
}

export function formatterInfo(className: string): FormatterInfo | undefined {
  return formatters.get(className);
}

/** The format for a stored formatter name; a clear error naming formatter and file otherwise. */
export function resolveFormatter(className: string, fileOrDescribe: string | (() => string)): FormatterInfo {
  const info = formatters.get(className);
  if (info && !info.unsupported) return info;
  const file = typeof fileOrDescribe === 'string' ? fileOrDescribe : fileOrDescribe();
  if (!info) {
    throw new UnsupportedFormatterError(`Formatter ${className} (used for ${file}) is not known to butler-desktop; it cannot read this file`);
  }
  if (info.unsupported) throw new UnsupportedFormatterError(`Formatter ${className} (used for ${file}) is not supported: ${info.unsupported}`);
  return info;
}

/** A known formatter class name for a format (used when writing). */
export function formatterNameFor(format: string): string | undefined {
  for (const [name, info] of formatters) if (info.format === format && !info.unsupported) return name;
  return undefined;
}

const builtins: [string, FormatterInfo][] = [
  ['lsst.daf.butler.formatters.json.JsonFormatter', { format: 'json', extension: '.json' }],
  ['lsst.daf.butler.formatters.yaml.YamlFormatter', { format: 'yaml', extension: '.yaml' }],
  ['lsst.daf.butler.formatters.hdf5.Hdf5Formatter', { format: 'hdf5', extension: '.hdf5' }],
  ['lsst.daf.butler.formatters.logs.ButlerLogRecordsFormatter', { format: 'json', extension: '.json' }],
  ['lsst.daf.butler.formatters.packages.PackagesFormatter', { format: 'yaml', extension: '.yaml' }],
  ['lsst.daf.butler.formatters.pickle.PickleFormatter', { format: 'pickle', extension: '.pickle', unsupported: 'Python pickle files can only be read by Python' }],
  ['lsst.daf.butler.formatters.parquet.ParquetFormatter', { format: 'parquet', extension: '.parq', unsupported: 'Parquet tables are not readable by butler-desktop yet' }],
  ['lsst.daf.butler.formatters.astropyTable.AstropyTableFormatter', { format: 'ecsv', extension: '.ecsv', unsupported: 'ECSV astropy tables are not readable by butler-desktop yet' }],
  ['lsst.daf.butler.formatters.matplotlib.MatplotlibFormatter', { format: 'png', extension: '.png', unsupported: 'plots are written by matplotlib and cannot be read back' }],
  ['lsst.pipe.base.formatters.pexConfig.PexConfigFormatter', { format: 'pexconfig', extension: '.py', unsupported: 'pex_config files are Python code' }],
  ['lsst.obs.base.formatters.fitsExposure.FitsExposureFormatter', { format: 'fits', extension: '.fits' }],
  ['lsst.obs.base.formatters.fitsExposure.FitsImageFormatter', { format: 'fits', extension: '.fits' }],
  ['lsst.obs.base.formatters.fitsExposure.FitsMaskFormatter', { format: 'fits', extension: '.fits' }],
  ['lsst.obs.base.formatters.fitsExposure.FitsMaskedImageFormatter', { format: 'fits', extension: '.fits' }],
  ['lsst.obs.base.formatters.fitsGeneric.FitsGenericFormatter', { format: 'fits', extension: '.fits' }],
  ['lsst.obs.lsst.rawFormatter.LsstCamRawFormatter', { format: 'fits', extension: '.fits' }],
  // Its own format, so that reading a raw loads the MegaPrime reader (not the afw Exposure one).
  ['lsst.obs.cfht.rawFormatter.MegaPrimeRawFormatter', { format: 'megaprime-raw', extension: '.fits' }],
];
for (const [name, info] of builtins) registerFormatterName(name, info);
