import { describe, expect, it } from 'vitest';
import { atomFeed, entryId, xmlEscape } from './feed.ts';
import { xmlProblems, xmlTexts } from './testing.ts';

const nasty = `Tom & Jerry's <script>alert("x")</script> ]]> \u0000\u0007\uFFFE end`;

const feed = () =>
  atomFeed({
    id: 'https://heat.example/news/feed.atom',
    title: nasty,
    lang: 'en',
    selfUrl: 'https://heat.example/news/feed.atom?a=1&b=2',
    htmlUrl: 'https://heat.example/news',
    baseUrl: 'https://heat.example/',
    author: 'Office "A" & <B>',
    updated: '2026-03-14T10:00:00.000Z',
    entries: [
      {
        id: entryId('https://heat.example', '2026-03-14T09:00:00.000Z', 'abc_-1'),
        title: nasty,
        url: 'https://heat.example/news/one',
        published: '2026-03-14T09:00:00.000Z',
        updated: '2026-03-14T10:00:00.000Z',
        summary: nasty,
        html: '<p>Hi &amp; <a href="/contact">bye</a></p>',
      },
    ],
  });

describe('xmlEscape', () => {
  it('escapes markup characters and drops characters XML cannot carry', () => {
    expect(xmlEscape(`a & b < c > d " e ' f`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f');
    expect(xmlEscape('x\u0000\u0001\u0008\u000B\u001F\uFFFE\uFFFF\uD800y')).toBe('xy');
    expect(xmlEscape('tab\tnew\nline\r 😀 ñ')).toBe('tab\tnew\nline\r 😀 ñ');
  });
});

describe('atomFeed', () => {
  it('is well-formed whatever the text holds', () => {
    const xml = feed();
    expect(xmlProblems(xml)).toEqual([]);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"')).toBe(true);
    expect(xml).not.toContain('<script');
    expect(xml).not.toContain('\u0000');
  });

  it('carries the elements Atom requires, with the text round-tripping', () => {
    const xml = feed();
    expect(xmlTexts(xml, 'title')).toEqual([`Tom & Jerry's <script>alert("x")</script> ]]>  end`, `Tom & Jerry's <script>alert("x")</script> ]]>  end`]);
    expect(xmlTexts(xml, 'id')).toEqual(['https://heat.example/news/feed.atom', 'tag:heat.example,2026-03-14:news:abc_-1']);
    expect(xmlTexts(xml, 'updated')).toHaveLength(2);
    expect(xmlTexts(xml, 'name')).toEqual(['Office "A" & <B>']);
    expect(xmlTexts(xml, 'content')).toEqual(['<p>Hi &amp; <a href="/contact">bye</a></p>']);
    expect(xml).toContain('href="https://heat.example/news/feed.atom?a=1&amp;b=2"');
    expect(xml).toContain('xml:base="https://heat.example/"');
  });

  it('is caught by the checker when broken', () => {
    expect(xmlProblems('<a><b></a>')).not.toEqual([]);
    expect(xmlProblems('<a>x & y</a>')).not.toEqual([]);
    expect(xmlProblems('<a>1 < 2</a>')).not.toEqual([]);
    expect(xmlProblems('<a/><b/>')).not.toEqual([]);
  });
});
