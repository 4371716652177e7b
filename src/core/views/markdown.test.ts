import { describe, expect, it } from 'vitest';
import { parseFrontMatter, renderMarkdown } from './markdown.ts';

describe('renderMarkdown', () => {
  it('renders headings, lists and links', () => {
    const html = renderMarkdown('## Signs\n\n- cannot leave\n- [help](/contact)\n');
    expect(html).toContain('<h2>Signs</h2>');
    expect(html).toContain('<li>cannot leave</li>');
    expect(html).toContain('<a href="/contact">help</a>');
  });

  it('drops raw HTML, scripts, event handlers and javascript: links', () => {
    const html = renderMarkdown(
      '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1))\n\n<a href="x" onclick="y">z</a>',
    );
    expect(html).not.toMatch(/<script|onerror|onclick|javascript:|<img/i);
  });

  it('keeps tel: and sms: links and marks external links noreferrer', () => {
    const html = renderMarkdown('[call](tel:+18883737888) [text](sms:233733) [site](https://example.org)');
    expect(html).toContain('href="tel:+18883737888"');
    expect(html).toContain('href="sms:233733"');
    expect(html).toContain('rel="noopener noreferrer"');
  });

  it('turns links to paths the site does not serve into plain text', () => {
    const html = renderMarkdown('[subscribe](/subscribe) and [contact](/contact)', {
      isKnownPath: (p) => p === '/contact',
    });
    expect(html).not.toContain('href="/subscribe"');
    expect(html).toContain('subscribe');
    expect(html).toContain('<a href="/contact">contact</a>');
  });

  it('demotes a level-one heading: the page layout owns the only h1', () => {
    expect(renderMarkdown('# Title')).toBe('<h2>Title</h2>');
  });
});

describe('parseFrontMatter', () => {
  it('reads title and summary and returns the rest as body', () => {
    const doc = parseFrontMatter('---\ntitle: What: a title\nsummary: Short.\n---\n\nBody text\n');
    expect(doc).toEqual({ title: 'What: a title', summary: 'Short.', body: '\nBody text\n' });
  });

  it('treats a file without front matter as all body', () => {
    expect(parseFrontMatter('Just text')).toEqual({ title: '', summary: '', body: 'Just text' });
  });
});
