import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

export type MarkdownDocument = { title: string; summary: string; body: string };

function markedFor(isKnownPath: ((path: string) => boolean) | undefined): Marked {
  const marked = new Marked({ gfm: true, breaks: false, async: false });
  if (isKnownPath) {
    marked.use({
      renderer: {
        link(token) {
          const href = token.href ?? '';
          if (href.startsWith('/') && !isKnownPath(href.split(/[?#]/)[0]!)) return this.parser.parseInline(token.tokens);
          return false;
        },
      },
    });
  }
  return marked;
}


/** Splits `---\ntitle: …\nsummary: …\n---` from the body; only flat `key: value` lines are read. */
export function parseFrontMatter(source: string): MarkdownDocument {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(source);
  const meta: Record<string, string> = {};
  if (match) {
    for (const line of match[1]!.split(/\r?\n/)) {
      const sep = line.indexOf(':');
      if (sep > 0) meta[line.slice(0, sep).trim()] = line.slice(sep + 1).trim();
    }
  }
  return { title: meta.title ?? '', summary: meta.summary ?? '', body: match ? source.slice(match[0].length) : source };
}

export type RenderMarkdownOptions = {
  /**
   * Whether a site-internal path leads anywhere. Links to parts of the product an office has not
   * turned on render as plain text instead of sending a reader to a dead end.
   */
  isKnownPath?: (path: string) => boolean;
};

/**
 * The one way Markdown becomes HTML. Raw HTML in the source is dropped and only a small set
 * of tags and URL schemes survives, so an editor's page cannot carry script or tracking.
 */
export function markdownRenderer(options: RenderMarkdownOptions = {}): (markdown: string) => string {
  const marked = markedFor(options.isKnownPath);
  return (markdown) => unbreakablePhones(sanitizeHtml((marked.parse(markdown) as string).trim(), sanitizeOptions));
}

/**
 * A phone link's text keeps its number on one line: hyphens and spaces become their
 * non-breaking forms (U+2011, U+00A0). The HTML is the sanitizer's, so every link reads
 * `<a href="tel:…">` and its text holds no tag when it is a plain number.
 */
function unbreakablePhones(html: string): string {
  return html.replace(/(<a href="tel:[^"]*">)([^<]*)(<\/a>)/g, (_m, open: string, text: string, close: string) =>
    open + text.replace(/-/g, '\u2011').replace(/ /g, '\u00a0') + close,
  );
}

/** Renders once with a throwaway renderer; pages rendered repeatedly keep a `markdownRenderer`. */
export function renderMarkdown(markdown: string, options: RenderMarkdownOptions = {}): string {
  return markdownRenderer(options)(markdown);
}

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: ['h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'code', 'pre', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'rel'], th: ['scope'] },
  allowedSchemes: ['https', 'http', 'mailto', 'tel', 'sms'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  transformTags: {
    // Markdown headings start at h2 on our pages: the layout owns the one h1.
    h1: 'h2',
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      const external = /^https?:/i.test(href);
      const kept: Record<string, string> = external ? { href, rel: 'noopener noreferrer' } : { href };
      return { tagName, attribs: kept };
    },
  },
};
