// Reads Python import statements into import facts (which local name binds what).

import type { Node } from './syntax';
import type { ImportFact } from '../events';

/** The bindings one `import` or `from ... import` statement makes. */
export function parseImport(node: Node): ImportFact[] {
  const out = node.type === 'import_statement' ? plainImport(node) : fromImport(node);
  if (inFunction(node)) for (const imp of out) imp.line = node.startPosition.row;
  return out;
}

/** Whether an import statement sits in a function body (then it binds its names there only). */
function inFunction(node: Node): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition') return true;
    if (n.type === 'class_definition') return false;
  }
  return false;
}

function plainImport(node: Node): ImportFact[] {
  const out: ImportFact[] = [];
  for (const child of node.namedChildren) {
    if (!child) continue;
    if (child.type === 'dotted_name') {
      // `import a.b` binds `a`; uses of `a.b.x` resolve through the dotted text.
      const first = child.text.split('.')[0];
      out.push({ local: first, module: first, level: 0 });
    } else if (child.type === 'aliased_import') {
      const name = child.childForFieldName('name')?.text;
      const alias = child.childForFieldName('alias')?.text;
      if (name && alias) out.push({ local: alias, module: name, level: 0 });
    }
  }
  return out;
}

function fromImport(node: Node): ImportFact[] {
  const moduleNode = node.childForFieldName('module_name');
  if (!moduleNode) return [];
  let level = 0;
  let module = moduleNode.text;
  if (moduleNode.type === 'relative_import') {
    const dots = moduleNode.text.match(/^\.+/)?.[0] ?? '';
    level = dots.length;
    module = moduleNode.text.slice(dots.length);
  }
  const out: ImportFact[] = [];
  for (const child of node.children) {
    if (!child || child.id === moduleNode.id) continue;
    if (child.type === 'dotted_name') {
      out.push({ local: child.text, module, name: child.text, level });
    } else if (child.type === 'aliased_import') {
      const name = child.childForFieldName('name')?.text;
      const alias = child.childForFieldName('alias')?.text;
      if (name && alias) out.push({ local: alias, module, name, level });
    }
  }
  return out;
}
