import { h, type VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { type PageContext, PageContextValue } from './context.ts';

/** Any page component's element; props are checked where the element is made. */
export type PageElement = VNode<any>;

/** Renders a full HTML document; JSX escapes every value, so no caller builds HTML by hand. */
export function renderDocument(page: PageElement, ctx: PageContext): string {
  return `<!doctype html>${renderToString(h(PageContextValue.Provider, { value: ctx }, page))}`;
}
