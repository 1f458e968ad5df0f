// Dataset IDs as daf_butler makes them: UUIDv7 (time-ordered, random) in UNIQUE mode;
// UUID5 over "dataset_type=<name>[,run=<run>],<k>=<v>,..." (sorted required data ID items)
// in the deterministic modes, so re-ingesting the same raw gives the same ID.
import { randomFillSync } from 'node:crypto';
import { sha1Into } from './sha1.js';

export type DatasetIdGenEnum = 'UNIQUE' | 'DATAID_TYPE' | 'DATAID_TYPE_RUN';
export const DATASET_ID_GEN_MODES: readonly DatasetIdGenEnum[] = ['UNIQUE', 'DATAID_TYPE', 'DATAID_TYPE_RUN'];

/** daf_butler's namespace: uuid5(NAMESPACE_DNS, "lsst.org"). */
export const DATASET_ID_NAMESPACE = '840b31d9-05cd-5161-b2c8-00d32b280d0f';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));


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

const ENCODER = new TextEncoder();
const MESSAGE = new Uint8Array(4096);
const DIGEST = new Uint8Array(20);
let messageNamespace = '';

/** RFC 4122 name-based UUID, version 5 (SHA-1). */
export function uuid5(namespace: string, name: string): string {
  return hyphenate(uuid5Hex(namespace, name));
}

/** uuid5 as 32 hex digits (the registry's storage form). */
export function uuid5Hex(namespace: string, name: string): string {
  if (namespace !== messageNamespace) {
    MESSAGE.set(uuidToBytes(namespace));
    messageNamespace = namespace;
  }
  let length: number;
  let message = MESSAGE;
  const written = ENCODER.encodeInto(name, MESSAGE.subarray(16));
  if (written.read === name.length) {
    length = 16 + written.written;
  } else {
    const encoded = ENCODER.encode(name);
    message = new Uint8Array(16 + encoded.length);
    message.set(MESSAGE.subarray(0, 16));
    message.set(encoded, 16);
    length = message.length;
  }
  sha1Into(message, length, DIGEST);
  DIGEST[6] = (DIGEST[6] & 0x0f) | 0x50;
  DIGEST[8] = (DIGEST[8] & 0x3f) | 0x80;
  return bytesToHex(DIGEST);
}

function bytesToHex(b: Uint8Array): string {
  return HEX[b[0]] + HEX[b[1]] + HEX[b[2]] + HEX[b[3]] + HEX[b[4]] + HEX[b[5]] + HEX[b[6]] + HEX[b[7]]
    + HEX[b[8]] + HEX[b[9]] + HEX[b[10]] + HEX[b[11]] + HEX[b[12]] + HEX[b[13]] + HEX[b[14]] + HEX[b[15]];
}

/** 32 hex digits → canonical hyphenated UUID (no validation: internal fast path). */
export function hyphenate(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
  return hyphenate(uuid7Hex(nowMs));
}

/** uuid7 as 32 hex digits (the registry's storage form). */
export function uuid7Hex(nowMs: number = Date.now()): string {
  if (poolOffset >= POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const o = poolOffset;
  poolOffset += 16;
  if (nowMs <= lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
  } else {
    lastMs = nowMs;
    sequence = POOL[o + 7] & 0x3ff;
  }
  const ms = lastMs;
  const b = POOL;
  b[o] = Math.floor(ms / 2 ** 40) & 0xff;
  b[o + 1] = Math.floor(ms / 2 ** 32) & 0xff;
  b[o + 2] = (ms >>> 24) & 0xff;
  b[o + 3] = (ms >>> 16) & 0xff;
  b[o + 4] = (ms >>> 8) & 0xff;
  b[o + 5] = ms & 0xff;
  b[o + 6] = 0x70 | ((sequence >> 8) & 0x0f);
  b[o + 7] = sequence & 0xff;
  b[o + 8] = (b[o + 8] & 0x3f) | 0x80;
  return bytesToHex(b.subarray(o, o + 16));
}

/** The string daf_butler hashes for a deterministic ID (sorted required data ID items). */
export function datasetIdName(datasetTypeName: string, requiredDataId: Record<string, string | number>, run: string | null): string {
  const items: string[] = [`dataset_type=${datasetTypeName}`];
  if (run !== null) items.push(`run=${run}`);
  for (const key of Object.keys(requiredDataId).sort()) items.push(`${key}=${String(requiredDataId[key])}`);
  return items.join(',');
}

/** A dataset ID as 32 hex digits (no hyphens), as the registry stores it: the form batch inserts use. */
export function makeDatasetIdHex(
  datasetTypeName: string,
  requiredDataId: Record<string, string | number>,
  run: string,
  mode: DatasetIdGenEnum = 'UNIQUE',
): string {
  switch (mode) {
    case 'UNIQUE':
      return uuid7Hex();
    case 'DATAID_TYPE':
      return uuid5Hex(DATASET_ID_NAMESPACE, datasetIdName(datasetTypeName, requiredDataId, null));
    case 'DATAID_TYPE_RUN':
      return uuid5Hex(DATASET_ID_NAMESPACE, datasetIdName(datasetTypeName, requiredDataId, run));
    default:
      throw new Error(`Unknown dataset ID generation mode '${String(mode)}'; expected one of ${DATASET_ID_GEN_MODES.join(', ')}`);
  }
}

export function parseIdGenMode(text: string): DatasetIdGenEnum {
  const m = text.toUpperCase();
  if ((DATASET_ID_GEN_MODES as readonly string[]).includes(m)) return m as DatasetIdGenEnum;
  throw new Error(`Unknown dataset ID generation mode '${text}'; expected one of ${DATASET_ID_GEN_MODES.join(', ')}`);
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
  return hyphenate(makeDatasetIdHex(datasetTypeName, requiredDataId, run, mode));
}
