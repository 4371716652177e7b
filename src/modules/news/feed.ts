/** Characters XML 1.0 cannot carry at all, even escaped: most C0 controls, lone surrogates, U+FFFE/FFFF. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text or attribute value made safe for XML: markup characters escaped, impossible characters dropped. */
export function xmlEscape(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export type FeedEntry = {
  /** A permanent IRI: it must not change when the post's title or address does. */
  id: string;
  title: string;
  /** Absolute URL of the post page. */
  url: string;
  published: string;
  updated: string;
  summary: string;
  /** Sanitised HTML from the one Markdown helper; escaped again here as Atom `type="html"` content. */
  html: string;
};

export type Feed = {
  id: string;
  title: string;
  /** Language tag of the feed's text. */
  lang: string;
  /** Absolute URL of the feed itself and of the list page. */
  selfUrl: string;
  htmlUrl: string;
  /** Base against which site-relative links inside entries resolve. */
  baseUrl: string;
  author: string;
  updated: string;
  entries: FeedEntry[];
};

const el = (name: string, text: string, attrs = '') => `<${name}${attrs}>${xmlEscape(text)}</${name}>`;

/** An Atom 1.0 (RFC 4287) document. Every value passes through `xmlEscape`; nothing is trusted. */
export function atomFeed(feed: Feed): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlEscape(feed.lang)}" xml:base="${xmlEscape(feed.baseUrl)}">`,
    el('id', feed.id),
    el('title', feed.title, ' type="text"'),
    el('updated', feed.updated),
    `<link rel="self" type="application/atom+xml" href="${xmlEscape(feed.selfUrl)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlEscape(feed.htmlUrl)}"/>`,
    `<author>${el('name', feed.author)}</author>`,
  ];
  for (const entry of feed.entries) {
    lines.push(
      '<entry>',
      el('id', entry.id),
      el('title', entry.title, ' type="text"'),
      `<link rel="alternate" type="text/html" href="${xmlEscape(entry.url)}"/>`,
      el('published', entry.published),
      el('updated', entry.updated),
      el('summary', entry.summary, ' type="text"'),
      el('content', entry.html, ' type="html"'),
      '</entry>',
    );
  }
  lines.push('</feed>');
  return `${lines.join('\n')}\n`;
}

/**
 * A tag URI (RFC 4151) for a post: the site's host, the day the post was created and its id, so
 * a feed reader keeps one item however often the post is edited or moved.
 */
export function entryId(baseUrl: string, createdAt: string, postId: string): string {
  return `tag:${new URL(baseUrl).hostname},${createdAt.slice(0, 10)}:news:${postId}`;
}
