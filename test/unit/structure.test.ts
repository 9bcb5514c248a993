import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * The module layout of docs/architecture.md, read from the sources' own
 * imports (type-only ones too): what the engine core may see, and no circle
 * between folders.
 */
const root = path.resolve(__dirname, '../..');

interface Import {
  from: string;
  to: string;
}

function sourceImports(): Import[] {
  const configPath = path.join(root, 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, root);
  const imports: Import[] = [];
  for (const file of config.fileNames) {
    const found = ts.preProcessFile(ts.sys.readFile(file)!, true, true).importedFiles;
    for (const { fileName } of found) {
      if (!fileName.startsWith('.')) continue;
      const resolved = ts.resolveModuleName(fileName, file, config.options, ts.sys).resolvedModule;
      if (!resolved) throw new Error(`${path.relative(root, file)}: cannot resolve "${fileName}"`);
      imports.push({ from: path.relative(root, file), to: path.relative(root, resolved.resolvedFileName) });
    }
  }
  return imports;
}

/**
 * The folder a file belongs to in the layout: engine/<part> and
 * engine/platform/<backend> are folders of their own (subfolders such as
 * engine/core/handlers belong to them); elsewhere the top-level folder.
 */
function folderOf(file: string): string {
  const dirs = path.dirname(file).split(path.sep);
  if (dirs[0] !== 'engine') return dirs[0]!;
  if (dirs[1] === 'platform') return dirs.slice(0, 3).join('/');
  return dirs.slice(0, 2).join('/');
}

/** Strongly connected groups of more than one folder (Tarjan). */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== node);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return groups;
}

const imports = sourceImports();
const show = (list: Import[]): string[] => list.map((i) => `${i.from} -> ${i.to}`);

test('the sources are read: imports across the engine are found', () => {
  expect(show(imports)).toContain('engine/thread/worker.ts -> engine/core/engine.ts');
});

test('the engine core sees a platform only through its interface', () => {
  const core = imports.filter((i) => folderOf(i.from) === 'engine/core');
  expect(show(core.filter((i) => i.to.startsWith('engine/platform/') && folderOf(i.to) !== 'engine/platform'))).toEqual([]);
});

test('the engine core sees the renderer only through its Renderer interface (engine/core/renderer.ts)', () => {
  const core = imports.filter((i) => folderOf(i.from) === 'engine/core');
  expect(show(core.filter((i) => folderOf(i.to) === 'engine/render'))).toEqual([]);
});

test('no circle between folders', () => {
  const edges = new Map<string, Set<string>>();
  for (const i of imports) {
    const [from, to] = [folderOf(i.from), folderOf(i.to)];
    if (from === to) continue;
    edges.set(from, (edges.get(from) ?? new Set()).add(to));
  }
  // Each circle with the imports that close it, so a failure names the files to change.
  const circles = cycles(edges).map((group) => ({
    folders: group,
    imports: show(imports.filter((i) => folderOf(i.from) !== folderOf(i.to) && group.includes(folderOf(i.from)) && group.includes(folderOf(i.to)))),
  }));
  expect(circles).toEqual([]);
});
