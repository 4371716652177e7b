import { type DefaultTreeAdapterMap, parse } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
export type Element = DefaultTreeAdapterMap['element'];

/**
 * A page parsed the way a browser parses it (parse5 implements the WHATWG algorithm), so a
 * test sees the elements a visitor's browser would build, not what a regular expression finds.
 */
export type ParsedPage = { elements: Element[]; text: string };

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  for (const child of 'childNodes' in node ? node.childNodes : []) walk(child, visit);
  if (node.nodeName === 'template') walk((node as DefaultTreeAdapterMap['template']).content, visit);
}

/** Every element of the page (template contents included) and all of its text, entities decoded. */
export function parsePage(html: string): ParsedPage {
  const elements: Element[] = [];
  const text: string[] = [];
  walk(parse(html), (node) => {
    if (node.nodeName === '#text') text.push((node as DefaultTreeAdapterMap['textNode']).value);
    else if ('tagName' in node) elements.push(node);
  });
  return { elements, text: text.join('') };
}

export const attrOf = (element: Element, name: string): string | undefined => element.attrs.find((a) => a.name === name)?.value;

/** An element's text as a browser's `textContent` gives it. */
export function textOf(element: Element): string {
  const text: string[] = [];
  walk(element, (node) => {
    if (node.nodeName === '#text') text.push((node as DefaultTreeAdapterMap['textNode']).value);
  });
  return text.join('');
}

/** Elements that load or show something by themselves; none of the app's plain text pages has one. */
const EMBEDDING = new Set(['img', 'image', 'svg', 'math', 'iframe', 'frame', 'frameset', 'object', 'embed', 'video', 'audio', 'source', 'base', 'style', 'portal']);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster']);

/**
 * What in a page could run script or reach off the site, one line each: an event-handler
 * attribute, a script that is not one of our bundled files, a `javascript:` URL, `srcdoc`, a
 * meta refresh, or an embedding element. An empty list means the page is inert markup.
 */
export function activeMarkup(page: ParsedPage): string[] {
  const found: string[] = [];
  const describe = (el: Element) => `<${el.tagName}${el.attrs.map((a) => ` ${a.name}="${a.value}"`).join('')}>`;
  for (const el of page.elements) {
    if (EMBEDDING.has(el.tagName)) found.push(`embedding element ${describe(el)}`);
    if (el.tagName === 'script' && (!/^\/assets\/[\w.-]+\.js$/.test(attrOf(el, 'src') ?? '') || textOf(el).trim())) found.push(`script ${describe(el)}`);
    if (el.tagName === 'meta' && attrOf(el, 'http-equiv')) found.push(`meta ${describe(el)}`);
    for (const a of el.attrs) {
      if (/^on/i.test(a.name)) found.push(`event handler ${a.name} on ${describe(el)}`);
      if (a.name === 'srcdoc') found.push(`srcdoc on ${describe(el)}`);
      // Browsers strip tabs and newlines from URLs before reading the scheme.
      if (URL_ATTRIBUTES.has(a.name) && /^\s*javascript:/i.test(a.value.replace(/[\t\n\r]/g, ''))) found.push(`javascript: URL on ${describe(el)}`);
    }
  }
  return found;
}
