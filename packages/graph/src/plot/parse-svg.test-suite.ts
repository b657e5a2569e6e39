/**
 * A small, strict XML reader for the plot tests: it checks well-formedness (balanced tags,
 * quoted attributes, only the five XML entities and numeric references, no raw `<` or `&`) and
 * returns the element tree, so tests inspect the SVG as a document rather than by regex.
 */

/** One element of the parsed document. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Concatenated text content directly inside the element, entities decoded. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (/<|&(?![a-z]+;|#\d+;|#x[0-9a-f]+;)/i.test(raw))
    throw new Error(`unescaped < or & in ${where}: ${raw.slice(0, 60)}`);
  return raw.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    const value = ENTITIES[entity];
    if (value === undefined) throw new Error(`unknown entity &${entity}; in ${where}`);
    return value;
  });
}

/** Parses `source` and returns its root element; throws on anything not well-formed. */
export function parseXml(source: string): XmlElement {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(source)) throw new Error('control character in document');
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
  let at = 0;
  while (at < source.length) {
    const next = source.indexOf('<', at);
    const textEnd = next < 0 ? source.length : next;
    const top = stack[stack.length - 1]!;
    if (textEnd > at) top.text += decode(source.slice(at, textEnd), `<${top.name}>`);
    if (next < 0) break;
    tag.lastIndex = next;
    const match = tag.exec(source);
    if (match === null) throw new Error(`malformed tag at ${next}: ${source.slice(next, next + 60)}`);
    const [, closing, name, attributeText, selfClosing] = match as unknown as [string, string, string, string, string];
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name || stack.length === 0) throw new Error(`</${name}> closes <${open?.name}>`);
    } else {
      const attributes: Record<string, string> = {};
      for (const [, key, , double, single] of attributeText.matchAll(/([\w:.-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
        if (Object.hasOwn(attributes, key!)) throw new Error(`duplicate attribute ${key} on <${name}>`);
        attributes[key!] = decode(double ?? single ?? '', `${name}@${key}`);
      }
      const element: XmlElement = { name, attributes, children: [], text: '' };
      top.children.push(element);
      if (!selfClosing) stack.push(element);
    }
    at = tag.lastIndex;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  const elements = root.children;
  if (elements.length !== 1 || root.text.trim() !== '') throw new Error('expected exactly one root element');
  return elements[0]!;
}

/** Every element below `root` (depth first) for which `test` holds. */
export function findAll(root: XmlElement, test: (element: XmlElement) => boolean): XmlElement[] {
  const found: XmlElement[] = [];
  const visit = (element: XmlElement): void => {
    if (test(element)) found.push(element);
    element.children.forEach(visit);
  };
  root.children.forEach(visit);
  return found;
}

/** Elements carrying `class` = `className` (one of its space-separated classes). */
export function byClass(root: XmlElement, className: string): XmlElement[] {
  return findAll(root, (e) => (e.attributes['class'] ?? '').split(/\s+/).includes(className));
}

/** The layers drawn in a model plot: path → the centre of its box (from its `<rect>`). */
export function layerBoxes(svg: XmlElement): Map<string, { x: number; y: number; element: XmlElement }> {
  const boxes = new Map<string, { x: number; y: number; element: XmlElement }>();
  for (const group of byClass(svg, 'layer')) {
    const path = group.attributes['data-path']!;
    if (boxes.has(path)) throw new Error(`layer ${path} drawn twice`);
    const rect = group.children.find((c) => c.name === 'rect')!;
    const [x, y, w, h] = ['x', 'y', 'width', 'height'].map((k) => Number(rect.attributes[k]));
    boxes.set(path, { x: x! + w! / 2, y: y! + h! / 2, element: group });
  }
  return boxes;
}
