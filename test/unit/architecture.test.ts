// Issue 13: no import cycle between the files of the application (contract, core,
// geodata, server, client). The folder boundaries are an eslint rule
// (eslint.config.js); a cycle inside one folder is only visible on the whole graph,
// which this test builds from the sources' relative imports (type imports included:
// a type cycle still ties two modules that should be layered).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FOLDERS = ['contract', 'core', 'geodata', 'server', 'client/src'];
const IMPORT = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' || entry.name === 'node_modules' ? [] : sourceFiles(rel);
    return /\.(ts|svelte)$/.test(entry.name) ? [rel] : [];
  });
}

/** Each file's relative imports, as paths from the repository root. */
function importGraph(files: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
    graph.set(
      file,
      [...source.matchAll(IMPORT)].map((m) => path.normalize(path.join(path.dirname(file), m[1]!))),
    );
  }
  return graph;
}

/** The strongly connected components of more than one file (Tarjan): each is a cycle. */
function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('import graph', () => {
  it('finds a cycle when there is one (a → b → c → a), and none in a chain', () => {
    const cyclic = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
    ]);
    expect(importCycles(cyclic)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(importCycles(new Map([...cyclic, ['c.ts', ['d.ts']]]))).toEqual([]);
  });

  it('reads the real sources: core is imported and nothing imports in a circle', () => {
    const graph = importGraph(FOLDERS.flatMap(sourceFiles));
    expect(graph.get(path.normalize('core/registry/materialize.ts'))).toContain(path.normalize('core/perimeters/derive.ts'));
    expect(importCycles(graph)).toEqual([]);
  });
});

/** Files longer than `max` lines whose header (first 12 lines) gives no "Length:" reason. */
function unexplainedLongFiles(files: { path: string; text: string }[], max = 300): string[] {
  return files
    .filter((f) => f.text.split('\n').length > max && !/Length: \S/.test(f.text.split('\n').slice(0, 12).join('\n')))
    .map((f) => f.path);
}

describe('file length', () => {
  it('flags a long file without a reason, not one with a reason or a short one', () => {
    const long = 'x\n'.repeat(400);
    expect(
      unexplainedLongFiles([
        { path: 'a.ts', text: '// header\n' + long },
        { path: 'b.ts', text: '// header\n// Length: one table per layer.\n' + long },
        { path: 'c.ts', text: '// header\nx\n' },
      ]),
    ).toEqual(['a.ts']);
  });

  it('every application file over ~300 lines says at its top why it is long', () => {
    const files = [...FOLDERS, 'scripts'].flatMap(sourceFiles).map((p) => ({ path: p, text: fs.readFileSync(path.join(ROOT, p), 'utf8') }));
    expect(files.length).toBeGreaterThan(150);
    expect(unexplainedLongFiles(files)).toEqual([]);
  });
});
