import { cloneElement, type ComponentChildren, isValidElement, type VNode } from 'preact';

export type DataTableRow = {
  /** Preact's key for the row; not rendered. */
  key?: string | number;
  /** One entry per column: a `<td>` or `<th scope="row">` element is used as it is, anything else goes into a `<td>`. */
  cells: ComponentChildren[];
};

export type DataTableProps = {
  caption: ComponentChildren;
  /** Read out by screen readers only, where the page's heading already names the table. */
  captionHidden?: boolean;
  /** The column headers, each rendered as `<th scope="col">`. */
  columns: ComponentChildren[];
  rows: DataTableRow[];
  /** Shown in a paragraph instead of the table when there is no row; without it the table is shown empty. */
  empty?: ComponentChildren;
  /** Inside `.table-wrap`, which scrolls sideways by itself so the page does not at 320 px. */
  wrap?: boolean;
  /**
   * On a phone each row becomes a card and each cell a line under its column's name (the
   * `data-label` the stylesheet shows): for lists of records too wide for a phone.
   */
  stack?: boolean;
  class?: string;
};

const isCell = (cell: ComponentChildren): cell is VNode => isValidElement(cell) && (cell.type === 'td' || cell.type === 'th');

/**
 * A column header's words, for its cells' labels. A header shown only to screen readers
 * (`visually-hidden`, such as "Actions") gives its cells no visible label either.
 */
export function headerText(node: ComponentChildren): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'bigint') return String(node);
  if (Array.isArray(node)) return node.map(headerText).join('');
  if (isValidElement(node)) {
    const props = node.props as { class?: string; className?: string; children?: ComponentChildren };
    if (/\bvisually-hidden\b/.test(props.class ?? props.className ?? '')) return '';
    return headerText(props.children);
  }
  return '';
}

/** The console's table of records: one markup for a caption, column headers, rows and the empty state. */
export function DataTable({ caption, captionHidden, columns, rows, empty, wrap, stack = false, class: className }: DataTableProps) {
  if (rows.length === 0 && empty !== undefined) return <p>{empty}</p>;
  const labels = stack ? columns.map((c) => headerText(c).trim() || undefined) : [];
  const classes = [className, stack ? 'table-stack' : undefined].filter(Boolean).join(' ') || undefined;
  const cellOf = (cell: ComponentChildren, i: number) => {
    const label = labels[i];
    if (isCell(cell)) {
      const own = (cell.props as Record<string, unknown>)['data-label'];
      return label === undefined || own !== undefined || cell.type === 'th' ? cell : cloneElement(cell, { 'data-label': label });
    }
    return label === undefined ? <td>{cell}</td> : <td data-label={label}>{cell}</td>;
  };
  const table = (
    <table class={classes}>
      <caption class={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col">{column}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>{row.cells.map(cellOf)}</tr>
        ))}
      </tbody>
    </table>
  );
  return wrap ? <div class="table-wrap">{table}</div> : table;
}
