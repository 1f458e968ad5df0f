// A lineage graph as Graphviz DOT or Mermaid text (like pipetask --qgraph-dot/--qgraph-mermaid):
// datasets are boxes, quanta ellipses (PROV's entities and activities), flowing left to right.
import type { Lineage, LineageNode } from './lineage.js';

function dataIdText(d: Record<string, string | number>): string {
  return Object.entries(d)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function label(n: LineageNode): string {
  if (n.kind === 'dataset') return `${n.datasetType}\n${dataIdText(n.dataId)}\n${n.run}${n.exists ? '' : '\n(removed)'}`;
  return `${n.taskLabel} (${n.status})\n${dataIdText(n.dataId)}`;
}

const dotEscape = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export function lineageToDot(l: Lineage): string {
  const lines = ['digraph lineage {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];'];
  for (const n of l.nodes) {
    const shape = n.kind === 'dataset' ? 'box' : 'ellipse';
    const style = n.id === l.root ? ', style="bold,filled", fillcolor="#ffe9a8"' : n.kind === 'quantum' && n.status !== 'succeeded' ? ', style=filled, fillcolor="#f8c0c0"' : '';
    lines.push(`  "${n.id}" [shape=${shape}, label="${dotEscape(label(n))}"${style}];`);
  }
  for (const e of l.edges) lines.push(`  "${e.source}" -> "${e.target}" [label="${dotEscape(e.connection)}"${e.kind === 'prerequisite' ? ', style=dashed' : ''}];`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function lineageToMermaid(l: Lineage): string {
  const ids = new Map(l.nodes.map((n, i) => [n.id, `n${i}`]));
  const text = (s: string) => s.replace(/"/g, '#quot;').replace(/\n/g, '<br/>');
  const lines = ['flowchart LR'];
  for (const n of l.nodes) {
    const id = ids.get(n.id)!;
    lines.push(n.kind === 'dataset' ? `  ${id}["${text(label(n))}"]` : `  ${id}(["${text(label(n))}"])`);
  }
  for (const e of l.edges) {
    const a = ids.get(e.source);
    const b = ids.get(e.target);
    if (a && b) lines.push(`  ${a} ${e.kind === 'prerequisite' ? '-.->' : '-->'}|${text(e.connection)}| ${b}`);
  }
  return lines.join('\n') + '\n';
}
