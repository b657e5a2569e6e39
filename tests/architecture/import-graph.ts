/**
 * The workspace's import graph, read from the sources with the TypeScript parser (no type checking):
 * which module each `.ts` file imports, and whether the import survives compilation.
 *
 * Type-only imports (`import type`, `export type`, imports whose every name is marked `type`, and
 * `import('…').T` in type positions) are erased by `tsc`, so they load nothing at run time and cannot
 * make an initialization cycle; the folder-cycle rule ignores them. That is what lets a lower folder
 * name a higher one's types (a callback's `model: Model`) without depending on its code. The package
 * rules (no TF.js in graph, no core in lint/cli) count them too: even a type import needs the package.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import (or re-export) of a module. */
export interface ImportRef {
  /** The module specifier as written (`../engine/layer.js`, `@strata/graph`). */
  specifier: string;
  /** True when the compiled JavaScript keeps no trace of it. */
  typeOnly: boolean;
}

/** A string literal, possibly hidden behind `as`/parentheses (`import('../x.js' as string)` still imports x). */
function literalText(node: ts.Expression | undefined): string | undefined {
  let current = node;
  while (
    current !== undefined &&
    (ts.isAsExpression(current) || ts.isParenthesizedExpression(current) || ts.isSatisfiesExpression(current))
  ) {
    current = current.expression;
  }
  return current !== undefined && ts.isStringLiteralLike(current) ? current.text : undefined;
}

function importDeclarationIsTypeOnly(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (clause === undefined) return false; // `import './side-effect.js'`
  if (clause.isTypeOnly) return true;
  if (clause.name !== undefined) return false; // a default import is a value
  const bindings = clause.namedBindings;
  if (bindings === undefined || ts.isNamespaceImport(bindings)) return false;
  // `import { type A, type B } from` is dropped whole; `import {} from` is kept (side effects).
  return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function exportDeclarationIsTypeOnly(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return (
    clause !== undefined &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((e) => e.isTypeOnly)
  );
}

/** Every import of one source file: static imports, re-exports, `import()` calls and `import('…')` types. */
export function parseImports(sourceText: string, fileName = 'source.ts'): ImportRef[] {
  const file = ts.createSourceFile(fileName, sourceText, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const refs: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const specifier = literalText(node.moduleSpecifier);
      if (specifier !== undefined) refs.push({ specifier, typeOnly: importDeclarationIsTypeOnly(node) });
    } else if (ts.isExportDeclaration(node)) {
      const specifier = literalText(node.moduleSpecifier);
      if (specifier !== undefined) refs.push({ specifier, typeOnly: exportDeclarationIsTypeOnly(node) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const specifier = literalText(node.moduleReference.expression);
      if (specifier !== undefined) refs.push({ specifier, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const specifier = literalText(node.arguments[0]);
      if (specifier !== undefined) refs.push({ specifier, typeOnly: false });
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      refs.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return refs;
}

/** Every `.ts` file under `dir` (recursively), skipping node_modules, dist and fixtures. */
export function listSourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name === 'fixtures') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listSourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

/** Test code (`*.test.ts`, `*.test-suite.ts`) is not shipped, so it may reach across folders. */
export function isTestFile(path: string): boolean {
  return /\.test(-suite)?\.ts$/.test(path);
}

/** One module-level edge that explains a folder-level edge. */
export interface EdgeWitness {
  from: string;
  to: string;
  /** The importing file and the specifier it wrote. */
  file: string;
  specifier: string;
}

/**
 * The runtime folder graph of one package's `src`: node = first directory under `src` (a file
 * directly in `src` is its own node, e.g. `index.ts`); an edge for each relative, non-type-only
 * import between two different nodes, with the first file that makes it.
 */
export function folderGraph(
  srcDir: string,
  files: string[] = listSourceFiles(srcDir).filter((f) => !isTestFile(f)),
): Map<string, Map<string, EdgeWitness>> {
  const nodeOf = (path: string): string | undefined => {
    const rel = relative(srcDir, path);
    if (rel.startsWith('..')) return undefined;
    return rel.split(sep)[0];
  };
  const graph = new Map<string, Map<string, EdgeWitness>>();
  for (const file of files) {
    const from = nodeOf(file)!;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const ref of parseImports(readFileSync(file, 'utf8'), file)) {
      if (ref.typeOnly || !ref.specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), ref.specifier.replace(/\.js$/, '.ts'));
      const to = nodeOf(target);
      if (to === undefined || to === from) continue;
      const edges = graph.get(from)!;
      if (!edges.has(to)) edges.set(to, { from, to, file: relative(srcDir, file), specifier: ref.specifier });
    }
  }
  return graph;
}

/**
 * A cycle in a directed graph as the list of nodes walked (first node repeated at the end),
 * or null when the graph is acyclic. Depth-first search with an explicit "on the path" set.
 */
export function findCycle<T>(
  graph: ReadonlyMap<string, ReadonlyMap<string, T> | ReadonlySet<string>>,
): string[] | null {
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const successors = (node: string): string[] => [...(graph.get(node)?.keys() ?? [])].sort();
  const visit = (node: string): string[] | null => {
    if (onPath.has(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return null;
    onPath.add(node);
    path.push(node);
    for (const next of successors(node)) {
      const cycle = visit(next);
      if (cycle !== null) return cycle;
    }
    path.pop();
    onPath.delete(node);
    done.add(node);
    return null;
  };
  for (const node of [...graph.keys()].sort()) {
    const cycle = visit(node);
    if (cycle !== null) return cycle;
  }
  return null;
}

/** A cycle spelled out with the file behind each step, for the failure message. */
export function describeCycle(cycle: string[], graph: ReadonlyMap<string, ReadonlyMap<string, EdgeWitness>>): string {
  const steps = cycle.slice(0, -1).map((from, i) => {
    const witness = graph.get(from)!.get(cycle[i + 1]!)!;
    return `  ${from} → ${witness.to}   (${witness.file} imports '${witness.specifier}')`;
  });
  return [`folder cycle ${cycle.join(' → ')}:`, ...steps].join('\n');
}
