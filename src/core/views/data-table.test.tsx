import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { DataTable } from './data-table.tsx';

describe('DataTable', () => {
  it('renders the caption, column headers and one row per record, plain values in cells', () => {
    const html = renderToString(
      <DataTable caption="Queue" columns={['Name', <span class="visually-hidden">Actions</span>]} rows={[{ key: 'a', cells: ['Motel <b>', <a href="/x">open</a>] }]} />,
    );
    expect(html).toBe(
      '<table><caption>Queue</caption><thead><tr><th scope="col">Name</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>' +
        '<tbody><tr><td>Motel &lt;b></td><td><a href="/x">open</a></td></tr></tbody></table>',
    );
  });

  it('uses a given <th scope="row"> or <td> as it is, keeping its attributes', () => {
    const html = renderToString(<DataTable caption="C" columns={['A', 'B']} rows={[{ cells: [<th scope="row">x</th>, <td lang="es">y</td>] }]} />);
    expect(html).toContain('<tr><th scope="row">x</th><td lang="es">y</td></tr>');
  });

  it('hides the caption visually and wraps the table for sideways scrolling when asked', () => {
    const html = renderToString(<DataTable caption="Log" captionHidden wrap class="business-table" columns={['A']} rows={[]} />);
    expect(html).toBe('<div class="table-wrap"><table class="business-table"><caption class="visually-hidden">Log</caption><thead><tr><th scope="col">A</th></tr></thead><tbody></tbody></table></div>');
  });

  it('shows the empty-state message instead of the table when there is no row', () => {
    expect(renderToString(<DataTable caption="Log" wrap columns={['A']} rows={[]} empty="Nothing yet." />)).toBe('<p>Nothing yet.</p>');
    expect(renderToString(<DataTable caption="Log" columns={['A']} rows={[{ cells: [1] }]} empty="Nothing yet." />)).toContain('<td>1</td>');
  });

  it('stacked on phones, labels each cell with its column; a header for screen readers only labels nothing', () => {
    const html = renderToString(
      <DataTable caption="Stops" stack columns={['Stop', <>Street <em>address</em></>, <span class="visually-hidden">Actions</span>]} rows={[{ cells: ['Store 2', <td data-label="Where">1 Main St</td>, <a href="/r">Report</a>] }]} />,
    );
    expect(html).toContain('<table class="table-stack">');
    expect(html).toContain('<tr><td data-label="Stop">Store 2</td><td data-label="Where">1 Main St</td><td><a href="/r">Report</a></td></tr>');
    const cloned = renderToString(<DataTable caption="C" stack class="x" columns={['A', 'B']} rows={[{ cells: [<th scope="row">x</th>, <td lang="es">y</td>] }]} />);
    expect(cloned).toContain('<table class="x table-stack">');
    expect(cloned).toContain('<tr><th scope="row">x</th><td lang="es" data-label="B">y</td></tr>');
  });
});
