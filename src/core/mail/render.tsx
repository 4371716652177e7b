import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

export type RenderedEmail = { template: string; subject: string; html: string; text: string };

/** A plain, table-free layout that reads well in every client and in a screen reader. */
export function EmailLayout(props: { lang: string; title: string; office: string; children: ComponentChildren; footer: string }) {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
      </head>
      <body style="margin:0;padding:24px;background:#f3f5f7;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1b1f24;line-height:1.5">
        <div style="max-width:560px;margin:0 auto;background:#ffffff;padding:24px;border-radius:6px">
          <p style="margin:0 0 16px;font-weight:700;color:#083a50">{props.office}</p>
          {props.children}
          <p style="margin-top:24px;font-size:13px;color:#4a5360">{props.footer}</p>
        </div>
      </body>
    </html>
  );
}

/** Both parts of an e-mail: HTML from a component, text written for reading as text. */
export function renderEmail(template: string, subject: string, html: VNode<any>, text: string): RenderedEmail {
  return { template, subject, html: `<!doctype html>${renderToString(html)}`, text };
}
