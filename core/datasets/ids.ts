// Dataset IDs as daf_butler makes them: UUIDv7 (time-ordered, random) in UNIQUE mode;
// UUID5 over "dataset_type=<name>[,run=<run>],<k>=<v>,..." (sorted required data ID items)
// in the deterministic modes, so re-ingesting the same raw gives the same ID.
import { createHash, randomFillSync } from 'node:crypto';

export type DatasetIdGenEnum = 'UNIQUE' | 'DATAID_TYPE' | 'DATAID_TYPE_RUN';
export const DATASET_ID_GEN_MODES: readonly DatasetIdGenEnum[] = ['UNIQUE', 'DATAID_TYPE', 'DATAID_TYPE_RUN'];

/** daf_butler's namespace: uuid5(NAMESPACE_DNS, "lsst.org"). */
export const DATASET_ID_NAMESPACE = '840b31d9-05cd-5161-b2c8-00d32b280d0f';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function bytesToUuid(b: Uint8Array): string {
  return (
    HEX[b[0]] + HEX[b[1]] + HEX[b[2]] + HEX[b[3]] + '-' + HEX[b[4]] + HEX[b[5]] + '-' + HEX[b[6]] + HEX[b[7]] + '-' +
    HEX[b[8]] + HEX[b[9]] + '-' + HEX[b[10]] + HEX[b[11]] + HEX[b[12]] + HEX[b[13]] + HEX[b[14]] + HEX[b[15]]
  );
}

const UUID_RE = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID_RE.test(text);
}

/** Canonical lowercase hyphenated form of a UUID given with or without hyphens. */
export function normalizeUuid(text: string): string {
  if (!UUID_RE.test(text)) throw new Error(`'${text}' is not a UUID (expected 32 hexadecimal digits, optionally hyphenated)`);
  const h = text.replace(/-/g, '').toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The registry's SQLite storage form: 32 lowercase hex digits, no hyphens (daf_butler's GUID on SQLite). */
export function uuidToHex(uuid: string): string {
  const h = uuid.replace(/-/g, '').toLowerCase();
  if (h.length !== 32) throw new Error(`'${uuid}' is not a UUID`);
  return h;
}

export function hexToUuid(hex: string): string {
  return normalizeUuid(hex);
}

function uuidToBytes(uuid: string): Uint8Array {
  const h = uuidToHex(uuid);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuid5(namespace: string, name: string): string {
  const hash = createHash('sha1').update(uuidToBytes(namespace)).update(name, 'utf8').digest();
  const b = new Uint8Array(hash.buffer, hash.byteOffset, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  return bytesToUuid(b);
}

// Random bytes are drawn in bulk: one syscall per 4096 IDs keeps batch registration fast.
const POOL = new Uint8Array(16 * 4096);
let poolOffset = POOL.length;
let lastMs = 0;
let sequence = 0;

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits. Within one millisecond the 12-bit
 * rand_a field counts up, so IDs made in a batch sort in creation order (B-tree friendly).
 */
export function uuid7(nowMs: number = Date.now()): string {
  if (poolOffset >= POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const b = POOL.slice(poolOffset, poolOffset + 16);
  poolOffset += 16;
  if (nowMs <= lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
  } else {
    lastMs = nowMs;
    sequence = b[7] & 0x3ff;
  }
  const ms = lastMs;
  b[0] = Math.floor(ms / 2 ** 40) & 0xff;
  b[1] = Math.floor(ms / 2 ** 32) & 0xff;
  b[2] = (ms >>> 24) & 0xff;
  b[3] = (ms >>> 16) & 0xff;
  b[4] = (ms >>> 8) & 0xff;
  b[5] = ms & 0xff;
  b[6] = 0x70 | ((sequence >> 8) & 0x0f);
  b[7] = sequence & 0xff;
  b[8] = (b[8] & 0x3f) | 0x80;
  return bytesToUuid(b);
}

/** The string daf_butler hashes for a deterministic ID (sorted required data ID items). */
export function datasetIdName(datasetTypeName: string, requiredDataId: Record<string, string | number>, run: string | null): string {
  const items: string[] = [`dataset_type=${datasetTypeName}`];
  if (run !== null) items.push(`run=${run}`);
  for (const key of Object.keys(requiredDataId).sort()) items.push(`${key}=${String(requiredDataId[key])}`);
  return items.join(',');
}

/**
 * Makes a dataset ID as daf_butler's DatasetIdFactory does.
 * `requiredDataId` holds the required dimension values only.
 */
export function makeDatasetId(
  datasetTypeName: string,
  requiredDataId: Record<string, string | number>,
  run: string,
  mode: DatasetIdGenEnum = 'UNIQUE',
): string {
  switch (mode) {
    case 'UNIQUE':
      return uuid7();
    case 'DATAID_TYPE':
      return uuid5(DATASET_ID_NAMESPACE, datasetIdName(datasetTypeName, requiredDataId, null));
    case 'DATAID_TYPE_RUN':
      return uuid5(DATASET_ID_NAMESPACE, datasetIdName(datasetTypeName, requiredDataId, run));
    default:
      throw new Error(`Unknown dataset ID generation mode '${String(mode)}'; expected one of ${DATASET_ID_GEN_MODES.join(', ')}`);
  }
}

export function parseIdGenMode(text: string): DatasetIdGenEnum {
  const m = text.toUpperCase();
  if ((DATASET_ID_GEN_MODES as readonly string[]).includes(m)) return m as DatasetIdGenEnum;
  throw new Error(`Unknown dataset ID generation mode '${text}'; expected one of ${DATASET_ID_GEN_MODES.join(', ')}`);
}
