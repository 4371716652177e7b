import { type ComponentChildren, isValidElement, type VNode } from 'preact';

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
  class?: string;
};

const isCell = (cell: ComponentChildren): cell is VNode => isValidElement(cell) && (cell.type === 'td' || cell.type === 'th');

/** The console's table of records: one markup for a caption, column headers, rows and the empty state. */
export function DataTable({ caption, captionHidden, columns, rows, empty, wrap, class: className }: DataTableProps) {
  if (rows.length === 0 && empty !== undefined) return <p>{empty}</p>;
  const table = (
    <table class={className}>
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
          <tr key={row.key}>{row.cells.map((cell) => (isCell(cell) ? cell : <td>{cell}</td>))}</tr>
        ))}
      </tbody>
    </table>
  );
  return wrap ? <div class="table-wrap">{table}</div> : table;
}
