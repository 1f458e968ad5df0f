// Assembles core/isr/kernels/fusedFinal.wat (wabt, a devDependency) and writes its bytes, base64,
// into fusedFinalWasm.ts: the kernel ships embedded, so nothing is read or compiled from text at run
// time. `node scripts/assemble-wasm.mjs --check` only compares (test/unit/isr/wasmSource.test.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtFactory from 'wabt';
import { medians32Wat } from './medianNetwork.mjs';

const kernels = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'core', 'isr', 'kernels');
const watFile = path.join(kernels, 'fusedFinal.wat');
const tsFile = path.join(kernels, 'fusedFinalWasm.ts');

/** The module's bytes, assembled from the .wat with SIMD and bulk memory on. */
export async function assemble() {
  const wabt = await wabtFactory();
  // The median network is generated (scripts/medianNetwork.mjs), not written by hand.
  const text = readFileSync(watFile, 'utf8').replace(';; @generated medians32', medians32Wat());
  const module = wabt.parseWat(watFile, text, { simd: true, bulk_memory: true });
  try {
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

export function embedded() {
  const m = /FUSED_FINAL_WASM_BASE64 = '([A-Za-z0-9+/=]+)'/.exec(readFileSync(tsFile, 'utf8'));
  if (!m) throw new Error(`${tsFile}: no FUSED_FINAL_WASM_BASE64 string found`);
  return Buffer.from(m[1], 'base64');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bytes = await assemble();
  if (process.argv.includes('--check')) {
    if (!bytes.equals(embedded())) {
      console.error(`${path.relative(process.cwd(), tsFile)} is not fusedFinal.wat assembled: run node scripts/assemble-wasm.mjs`);
      process.exit(1);
    }
    console.log('fusedFinalWasm.ts matches fusedFinal.wat');
  } else {
    writeFileSync(
      tsFile,
      `// fusedFinal.wat assembled by scripts/assemble-wasm.mjs (wabt; SIMD and bulk memory; ${bytes.length} bytes), embedded so\n` +
        `// nothing is read or downloaded at run time. Regenerate after editing the .wat: node scripts/assemble-wasm.mjs\n` +
        `export const FUSED_FINAL_WASM_BASE64 = '${bytes.toString('base64')}';\n`,
    );
    console.log(`wrote ${path.relative(process.cwd(), tsFile)} (${bytes.length} bytes)`);
  }
}
