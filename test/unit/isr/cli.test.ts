import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildIsrConfig, isrCommands } from '../../../cli/commands/isr.js';

async function run(args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  isrCommands(program);
  let out = '';
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'butler', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return out;
}

describe('butler isr-config', () => {
  it('prints the differences of a preset plus -c overrides from the defaults', async () => {
    const out = await run(['isr-config', '--preset', 'ccdproc-equivalent', '-c', 'overscan.order=3', '--diff']);
    expect(out).toContain('overscan.fitType: "MEDIAN" → "MEDIAN_PER_ROW"');
    expect(out).toContain('overscan.maxDeviation: 1000 → Infinity');
    expect(out).toContain('overscan.order: 1 → 3');
  });

  it('prints documented YAML that loads back, and the JSON Schema', async () => {
    const yaml = await run(['isr-config', '--task', 'CfhtIsrTask']);
    expect(yaml).toContain('# Safety margin for CFHT sensors gain determination');
    expect(yaml).toContain('safe: 0.95');
    const schema = JSON.parse(await run(['isr-config', '--schema'])) as { title: string; properties: Record<string, unknown> };
    expect(schema.title).toBe('IsrTaskConfig');
    expect(Object.keys(schema.properties)).toContain('overscan');
  });

  it('rejects bad overrides naming the field and value', () => {
    expect(() => buildIsrConfig({ config: ['overscan.fitType=SPLINE'] })).toThrow(/overscan\.fitType: value "SPLINE" is not one of the allowed values/);
    expect(() => buildIsrConfig({ task: 'Nope' })).toThrow(/--task must be IsrTask or CfhtIsrTask/);
  });
});
