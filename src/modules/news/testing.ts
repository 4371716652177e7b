/**
 * A small XML well-formedness check for tests (Node has no DOMParser): one root, balanced and
 * properly nested tags, quoted attributes, only the five predefined or numeric entities, no raw
 * `<` or `&` in text. Returns the problems found; an empty list means well-formed.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  if (body === xml && xml.startsWith('<?xml')) problems.push('bad XML declaration');
  const stack: string[] = [];
  let roots = 0;
  const token = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  for (const m of body.matchAll(token)) {
    const [whole, closing, name, , selfClosing, text, strayLt] = m;
    if (strayLt) {
      problems.push(`stray < at ${m.index}: ${body.slice(m.index, m.index + 30)}`);
      continue;
    }
    if (text !== undefined) {
      if (stack.length === 0 && text.trim()) problems.push(`text outside the root: ${text.slice(0, 30)}`);
      for (const amp of text.matchAll(/&([^;\s]*);?/g)) {
        if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(amp[0])) problems.push(`bad entity ${amp[0]}`);
      }
      continue;
    }
    for (const attr of (m[3] ?? '').matchAll(/="([^"]*)"/g)) {
      for (const amp of attr[1]!.matchAll(/&([^;\s]*);?/g)) {
        if (!/^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);$/.test(amp[0])) problems.push(`bad entity in attribute ${amp[0]}`);
      }
    }
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else if (selfClosing) {
      if (stack.length === 0) roots++;
    } else {
      if (stack.length === 0) roots++;
      stack.push(name!);
    }
    void whole;
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** The text of every `<name>` element directly in the XML, entities decoded. */
export function xmlTexts(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g'))].map((m) =>
    m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'),
  );
}
